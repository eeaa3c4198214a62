// `\subscribe SELECT ...` in `tenantdb shell --url`: one live query over the server's
// WebSocket endpoint (GET /v1/ws, Boost.Beast, blocking), printed as it arrives:
//
//   subscribed: id BIGINT, body TEXT
//   row [1,"hi"]
//   live at seq 7 (Ctrl-C stops)
//   insert seq=8 [2,"second"]
//   update seq=9 [1,"hello"] (was [1,"hi"])
//   delete seq=10 [2,"second"]
//
// Rows are JSON arrays, values encoded as the SQL API encodes them. Run() returns when
// Cancel() is called (Ctrl-C: OK, the subscription ended by the user), when the server
// ends the subscription with an error (that error: e.g. table_changed, slow_consumer), or
// when the connection fails (io_error).
//
// Thread safety: Run() on one thread; Cancel() from any thread (the shell's Ctrl-C
// watcher), while Run() blocks or before it starts.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cli/remote_http.h"
#include "common/status.h"

namespace tenantdb::cli {

class RemoteSubscription {
 public:
  RemoteSubscription(HttpUrl url, std::string token);
  ~RemoteSubscription();
  RemoteSubscription(const RemoteSubscription&) = delete;
  RemoteSubscription& operator=(const RemoteSubscription&) = delete;

  // Subscribes to `sql` and prints each line through `print` until it ends (above).
  Status Run(const std::string& sql, const std::function<void(std::string_view line)>& print);
  void Cancel();

 private:
  HttpUrl url_;
  std::string token_;
  std::mutex mu_;
  int fd_ = -1;  // the socket Run() blocks on, for Cancel()
  bool canceled_ = false;
};

// One server message as the line(s) Run() prints, or the error it ends with; nullopt
// when the message prints nothing. Exposed for tests.
struct SubscriptionLine {
  std::string text;       // empty: nothing to print
  Status error;           // not OK: the subscription ended with it
  bool has_more = false;  // an initial batch with more to come (ask for next_batch)
};
SubscriptionLine DescribeSubscriptionMessage(std::string_view json);

}  // namespace tenantdb::cli
