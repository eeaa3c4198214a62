#include "cli/remote_subscription.h"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "cli/remote_result.h"

namespace tenantdb::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace json = boost::json;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

std::string RowsText(const json::value* rows, std::string_view prefix) {
  std::string out;
  if (rows == nullptr || !rows->is_array()) return out;
  for (const json::value& row : rows->as_array()) {
    out += prefix;
    out += json::serialize(row);
    out += '\n';
  }
  return out;
}

std::string StringField(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

SubscriptionLine DescribeSubscriptionMessage(std::string_view text) {
  SubscriptionLine line;
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    line.error = Status(ErrorCode::kInvalidRequest, "the server sent a message that is not JSON");
    return line;
  }
  const json::object& o = v.as_object();
  const std::string type = StringField(o, "type");
  if (type == "subscription_ack") {
    line.text = "subscribed:";
    if (const json::value* schema = o.if_contains("schema"); schema && schema->is_array()) {
      bool first = true;
      for (const json::value& column : schema->as_array()) {
        if (!column.is_object()) continue;
        line.text += first ? " " : ", ";
        first = false;
        line.text += StringField(column.as_object(), "name") + " " +
                     StringField(column.as_object(), "data_type");
      }
    }
    line.text += '\n';
  } else if (type == "initial_data_batch") {
    line.text = RowsText(o.if_contains("rows"), "row ");
    const json::value* control = o.if_contains("batch_control");
    if (control != nullptr && control->is_object()) {
      const json::value* more = control->as_object().if_contains("has_more");
      line.has_more = more != nullptr && more->is_bool() && more->as_bool();
      const json::value* seq = control->as_object().if_contains("last_seq");
      if (!line.has_more) {
        line.text +=
            "live at seq " + (seq != nullptr ? json::serialize(*seq) : "?") + " (Ctrl-C stops)\n";
      }
    }
  } else if (type == "change") {
    const std::string kind = StringField(o, "change_type");
    const json::value* seq = o.if_contains("seq");
    const std::string prefix =
        kind + " seq=" + (seq != nullptr ? json::serialize(*seq) : "?") + " ";
    const json::value* rows = o.if_contains("rows");
    const json::value* old_values = o.if_contains("old_values");
    if (kind == "update" && rows != nullptr && rows->is_array() && old_values != nullptr &&
        old_values->is_array() && old_values->as_array().size() == rows->as_array().size()) {
      for (size_t i = 0; i < rows->as_array().size(); ++i) {
        line.text += prefix + json::serialize(rows->as_array()[i]) + " (was " +
                     json::serialize(old_values->as_array()[i]) + ")\n";
      }
    } else {
      line.text = RowsText(rows, prefix);
    }
  } else if (type == "error" || type == "auth_error") {
    const std::string code = StringField(o, "code");
    const std::string message = StringField(o, "message");
    if (type == "auth_error") {
      line.error = Status(ErrorCode::kInvalidAuthorization, message);
    } else if (const std::optional<ErrorCode> known = ErrorCodeNamed(code)) {
      line.error = Status(*known, message);
    } else {
      // The protocol's own codes (table_changed, slow_consumer, ...) name the reason.
      line.error = Status(ErrorCode::kInvalidRequest, code + ": " + message);
    }
  }
  return line;
}

RemoteSubscription::RemoteSubscription(HttpUrl url, std::string token)
    : url_(std::move(url)), token_(std::move(token)) {}

RemoteSubscription::~RemoteSubscription() = default;

void RemoteSubscription::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  canceled_ = true;
  // Wakes the blocked read (shutdown(2) is safe from another thread; Run() closes it).
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
}

Status RemoteSubscription::Run(const std::string& sql,
                               const std::function<void(std::string_view line)>& print) {
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    websocket::stream<tcp::socket> ws(io);
    beast::error_code ec;
    auto endpoints = resolver.resolve(url_.host, url_.port, ec);
    if (!ec) asio::connect(ws.next_layer(), endpoints, ec);
    if (ec)
      return Status(ErrorCode::kIoError, "cannot connect to " + url_.text + ": " + ec.message());
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (canceled_) return Status::Ok();
      fd_ = ws.next_layer().native_handle();
    }
    auto finish = [&](Status status) {
      std::lock_guard<std::mutex> lock(mu_);
      fd_ = -1;
      return canceled_ ? Status::Ok() : status;
    };
    ws.set_option(websocket::stream_base::decorator([this](websocket::request_type& request) {
      request.set(beast::http::field::authorization, "Bearer " + token_);
      request.set(beast::http::field::user_agent, "tenantdb-shell");
    }));
    ws.handshake(url_.host + ":" + url_.port, url_.base_path + "/v1/ws", ec);
    if (ec)
      return finish(Status(ErrorCode::kIoError, "WebSocket to " + url_.text + ": " + ec.message()));

    json::object subscription;
    subscription["id"] = "shell";
    subscription["sql"] = sql;
    json::object subscribe;
    subscribe["type"] = "subscribe";
    subscribe["subscription"] = std::move(subscription);
    ws.text(true);
    ws.write(asio::buffer(json::serialize(subscribe)), ec);
    beast::flat_buffer buffer;
    while (!ec) {
      buffer.clear();
      ws.read(buffer, ec);
      if (ec) break;
      const std::string_view text(static_cast<const char*>(buffer.data().data()), buffer.size());
      SubscriptionLine line = DescribeSubscriptionMessage(text);
      if (!line.text.empty()) print(line.text);
      if (!line.error.ok()) {
        beast::error_code ignored;
        ws.close(websocket::close_code::normal, ignored);
        return finish(line.error);
      }
      if (line.has_more) {
        ws.write(asio::buffer(std::string(R"({"type":"next_batch","subscription_id":"shell"})")),
                 ec);
      }
    }
    return finish(
        Status(ErrorCode::kIoError, "the live query's connection ended: " + ec.message()));
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(mu_);
    fd_ = -1;
    return Status(ErrorCode::kIoError, std::string("live query failed: ") + e.what());
  }
}

}  // namespace tenantdb::cli
