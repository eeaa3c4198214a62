CREATE TABLE app.msgs (
  thread INT,
  id BIGINT,
  at TIMESTAMP,
  body TEXT,
  PRIMARY KEY (thread, id)
) WITH (TYPE = 'USER')