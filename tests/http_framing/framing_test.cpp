// The HTTP framing matrix (RFC 9112 6.1-6.3): every request row against
// flag_server and against chaos_proxy in front of a recording backend, every
// response row against chaos_proxy in front of a scripted backend. The oracle
// is the same for all: exactly one well-framed message per request, or a
// 4xx/5xx and a closed connection; nothing hidden in a body is ever taken for
// a message of its own, on either side of the proxy.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <ostream>

#include "cases.hpp"
#include "peers.hpp"
#include "services.hpp"

namespace platespin::framing {

// gtest prints a parameter when a test fails: the name says enough.
void PrintTo(const RequestCase& c, std::ostream* os) { *os << c.name; }
void PrintTo(const ResponseCase& c, std::ostream* os) { *os << c.name; }

namespace {

using test::Service;
using test::start_flag_server;
using test::start_service;

// A correct server answers these in milliseconds; this only bounds a hang.
constexpr Millis kAnswerTimeout{2000};
// How long an incomplete request must stay unanswered.
constexpr Millis kQuietWait{300};
// How long a proxy may take to close a backend connection left mid-message.
constexpr Millis kCleanWait{1000};

bool contains(const std::string& s, std::string_view what) { return s.find(what) != std::string::npos; }

std::string echo_bytes(const std::string& target) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(target.size()) + "\r\n\r\n" + target;
}

// The recording backend's answer: its target as the body, so that each answer names its request
// (for HEAD, only the length: a body there would itself be a framing error).
Answer echo(const Message& request) {
  auto bytes = echo_bytes(request.target);
  if (request.method == "HEAD") bytes.resize(bytes.size() - request.target.size());
  return {bytes, false};
}

// What a server sent back, parsed strictly as answers to requests with `methods`.
struct Responses {
  std::vector<Message> finals;  // interim 1xx left out
  std::string error;            // not well-framed: why
  bool cut = false;             // the connection closed inside a response
};

Responses parse_responses(const std::string& bytes, const std::vector<std::string>& methods, bool at_eof) {
  Responses out;
  std::string_view rest = bytes;
  for (int guard = 0; !rest.empty() && guard < 1000; ++guard) {  // each turn takes a message off `rest`
    const std::size_t i = out.finals.size();
    const std::string method = i < methods.size() ? methods[i] : "GET";
    const auto p = parse_message(rest, false, method, at_eof);
    if (p.state == State::error) {
      out.error = p.error +
                  (i > 0 ? " (after " + std::to_string(i) + " complete response(s): a body where none belongs?)" : "") +
                  " at: " + escape(rest, 120);
      return out;
    }
    if (p.state == State::incomplete) {
      out.cut = at_eof;
      return out;
    }
    rest.remove_prefix(p.used);
    if (p.message.interim()) continue;
    out.finals.push_back(p.message);
    if (p.message.status == 101) {  // what follows is not HTTP any more
      if (!rest.empty()) out.error = "bytes after a 101: " + escape(rest, 120);
      return out;
    }
  }
  return out;
}

bool smuggled_answer(const Message& m) { return m.has("x-smuggled") || contains(m.body, "/smuggled"); }

std::string describe(const Message& m) { return std::to_string(m.status) + " body \"" + escape(m.body, 80) + "\""; }

// A chaos_proxy passing everything through to `backend`: one event loop, so
// that a connection given back to the pool is the one the next request gets.
Service start_proxy(const RawBackend& backend) {
  return start_service("chaos_proxy", {"--protocol", "http", "--backend", backend.address(), "--proxy", "127.0.0.1:0",
                                       "--behavior", "100:dummy", "--threads", "1", "--timeout", "5"});
}

// A backend and the proxy in front of it. A case that fails marks it dirty and
// the next case gets a fresh pair, so one case's leftovers never fail the next.
struct ProxyRig {
  std::unique_ptr<RawBackend> backend;  // declared first: the proxy goes first
  Service proxy;
  bool dirty = false;
};

ProxyRig& rig(std::unique_ptr<ProxyRig>& slot, std::function<Answer(const Message&)> respond) {
  if (!slot || slot->dirty) {
    slot.reset();
    slot = std::make_unique<ProxyRig>();
    slot->backend = std::make_unique<RawBackend>(std::move(respond));
    slot->proxy = start_proxy(*slot->backend);
  }
  return *slot;
}

// Runs one row; a network error (a server that died on the bytes, say) is a
// finding like any other, and the rig starts afresh for the next row.
std::string run_row(const std::function<std::string()>& row, const Service& server, bool* dirty) {
  std::string problems;
  try {
    problems = row();
  } catch (const std::exception& e) {
    problems =
        std::string("  - ") + e.what() + (server.process->running() ? "" : " (the server under test exited)") + "\n";
  }
  if (dirty) *dirty = !problems.empty();
  return problems;
}

const Service& flag_server() {
  static const Service server = start_flag_server();
  return server;
}

// ---- Requests ------------------------------------------------------------

struct Problems {
  std::string text;
  void operator()(const std::string& what) { text += "  - " + what + "\n"; }
  bool none() const { return text.empty(); }
};

// What the client got for a request row: its answers (`answered`: how many of the
// leading ones are the backend's answers to the intended requests).
void check_answers(const RequestCase& rc, const Client& client, Client::End end, bool via_proxy, Problems& problem,
                   std::size_t& answered) {
  std::vector<std::string> methods;
  for (const auto& s : rc.intended) methods.push_back(s.method);
  const auto got = parse_responses(client.received(), methods, client.closed());
  if (!got.error.empty()) problem("the client got bytes that are not a well-framed response: " + got.error);
  if (got.cut) problem("the connection closed in the middle of a response");
  for (const auto& f : got.finals)
    if (smuggled_answer(f)) problem("the client got an answer to the hidden request: " + describe(f));

  // Through the proxy an answer names its request (the echo); flag_server's answers are all its own.
  auto good = [&](std::size_t i) {
    const auto& f = got.finals[i];
    const auto& s = rc.intended[i];
    return !via_proxy || (f.status == 200 && f.body == (s.method == "HEAD" ? "" : s.target));
  };
  const std::size_t n = got.finals.size();
  answered = 0;
  while (answered < n && answered < rc.intended.size() && good(answered)) ++answered;

  if (rc.expect == Expect::incomplete) {  // an early 4xx is fair (flag_server refuses bodies at the head)
    for (const auto& f : got.finals)
      if (f.status < 400) problem("an incomplete request was answered: " + describe(f));
    return;
  }
  const std::size_t k = rc.intended.size() + (rc.expect == Expect::reject ? 1 : 0);
  if (end == Client::End::timeout)
    problem("the connection was still open " + std::to_string(kAnswerTimeout.count()) +
            " ms after the client's half-close (hang)");
  if (n == 0 && got.error.empty()) problem("no response at all: the connection was closed without a 4xx/5xx");
  if (n > k)
    problem(std::to_string(n) + " responses to " + std::to_string(k) +
            " request(s): something in a body was answered as a request");
  if (n == 0 || n > k) return;
  // Either every request was answered, or the server refused one (4xx/5xx, last) and closed.
  const bool all_answered = n == k && answered == k && rc.expect != Expect::reject;
  const int last = got.finals.back().status;
  const bool refused = answered + 1 >= n && last >= 400 && last <= 599 && client.closed();
  const bool refusal_allowed = rc.expect != Expect::accept || !via_proxy;  // flag_server takes no bodies
  if (all_answered || (refused && refusal_allowed)) return;
  std::string statuses;
  for (const auto& f : got.finals) statuses += " " + describe(f) + ";";
  if (rc.expect == Expect::reject)
    problem("expected one 4xx/5xx and a close for the invalid request, got:" + statuses);
  else if (rc.expect == Expect::accept)
    problem("expected every request answered by the backend, got:" + statuses);
  else
    problem("expected every request answered, or a 4xx/5xx and a close, got:" + statuses);
}

// What the backend behind the proxy got: each answered request exactly once, as intended.
void check_forwarded(const RequestCase& rc, const std::vector<BackendEvent>& events, std::size_t answered,
                     Problems& problem) {
  std::vector<Message> forwarded;
  for (const auto& e : events) {
    if (e.kind == BackendEvent::Kind::error)
      problem("the proxy sent the backend bytes that are not a valid request: " + e.error);
    if (e.kind != BackendEvent::Kind::message) continue;
    if (e.message.target == "/smuggled") problem("the hidden request /smuggled reached the backend as a request");
    forwarded.push_back(e.message);
  }
  if (rc.expect == Expect::incomplete) {
    if (!forwarded.empty()) problem("an incomplete request reached the backend whole");
    return;
  }
  if (forwarded.size() != answered)
    problem("the backend got " + std::to_string(forwarded.size()) + " request(s), the client " +
            std::to_string(answered) + " answer(s) from it");
  for (std::size_t i = 0; i < forwarded.size() && i < rc.intended.size(); ++i) {
    const auto& f = forwarded[i];
    const auto& s = rc.intended[i];
    const std::string which = "backend request " + std::to_string(i + 1);
    if (f.method != s.method || f.target != s.target)
      problem(which + " was " + f.method + " " + f.target + ", not " + s.method + " " + s.target);
    if (f.body != s.body) problem(which + " body \"" + escape(f.body, 80) + "\", not \"" + escape(s.body, 80) + "\"");
    if (!s.trailer.empty() && !f.has_trailer(s.trailer) && !f.has(s.trailer))
      problem("the trailer field " + s.trailer + " did not reach the backend");
  }
}

// After the client left: the proxy let go of any backend connection it left
// mid-request, and the next client (on the pooled connection) gets its own answer.
void check_pool(std::uint16_t port, const RawBackend& backend, Problems& problem) {
  if (!backend.wait_clean(kCleanWait))
    problem("after the client left, a backend connection stayed open mid-request (a poisoned pooled connection): " +
            backend.dirty_connections());
  Client probe(port);
  probe.send("GET /probe HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  probe.read_to_close(kAnswerTimeout);
  const auto p = parse_responses(probe.received(), {"GET"}, probe.closed());
  if (!p.error.empty() || p.finals.size() != 1 || p.finals[0].status != 200 || p.finals[0].body != "/probe")
    problem("the next request through the proxy got \"" + escape(probe.received(), 160) +
            "\", not its own answer (a poisoned pooled backend connection)");
}

// Sends a request row and checks it; with `backend` (behind the proxy at `port`)
// also what the backend got. Returns "" or what went wrong.
std::string run_request_case(const RequestCase& rc, std::uint16_t port, RawBackend* backend) {
  const std::size_t mark = backend ? backend->mark() : 0;
  Client client(port);
  client.send(rc.bytes);
  Client::End end;
  bool waited = false;  // the server sat on bytes that make complete (or invalid) requests
  if (rc.expect == Expect::incomplete) {
    end = client.read_until([](const std::string&) { return false; }, kQuietWait);
  } else {
    // The answers first, then a half-close, so that a server done with the bytes ends the
    // connection (and shows any answer to a hidden request first). Not the half-close at
    // once: a server may take it for a client that left and drop queued requests.
    std::vector<std::string> methods;
    for (const auto& s : rc.intended) methods.push_back(s.method);
    const std::size_t k = rc.intended.size() + (rc.expect == Expect::reject ? 1 : 0);
    const auto all_answered = [&](const std::string& bytes) {
      const auto p = parse_responses(bytes, methods, false);
      return p.finals.size() >= k || !p.error.empty();
    };
    waited = client.read_until(all_answered, kAnswerTimeout) == Client::End::timeout;
    client.shutdown_write();
    end = client.read_to_close(kAnswerTimeout);
  }

  Problems problem;
  std::size_t answered = 0;
  if (waited)
    problem("no answer to every request within " + std::to_string(kAnswerTimeout.count()) +
            " ms (hang: the server waited for bytes that are not coming)");
  check_answers(rc, client, end, backend != nullptr, problem, answered);
  if (backend) check_forwarded(rc, backend->since(mark), answered, problem);
  client.close();
  if (backend) check_pool(port, *backend, problem);
  if (problem.none()) return "";

  std::string report =
      problem.text + "  client sent: " + escape(rc.bytes) + "\n  client got: " + escape(client.received()) + "\n";
  if (backend) {
    std::string seen;
    for (const auto& e : backend->since(mark))
      if (e.kind == BackendEvent::Kind::bytes) seen += "[" + std::to_string(e.connection) + "]" + e.bytes;
    report += "  backend got: " + escape(seen) + "\n";
  }
  return report;
}

class RequestToFlagServer : public testing::TestWithParam<RequestCase> {};

TEST_P(RequestToFlagServer, Framing) {
  const std::string problems =
      run_row([&] { return run_request_case(GetParam(), flag_server().port(), nullptr); }, flag_server(), nullptr);
  EXPECT_TRUE(problems.empty()) << "\n" << problems;
}

class RequestThroughProxy : public testing::TestWithParam<RequestCase> {};

TEST_P(RequestThroughProxy, Framing) {
  static std::unique_ptr<ProxyRig> slot;
  ProxyRig& r = rig(slot, echo);
  const std::string problems =
      run_row([&] { return run_request_case(GetParam(), r.proxy.port(), r.backend.get()); }, r.proxy, &r.dirty);
  EXPECT_TRUE(problems.empty()) << "\n" << problems;
}

std::string request_name(const testing::TestParamInfo<RequestCase>& row) { return row.param.name; }

INSTANTIATE_TEST_SUITE_P(Matrix, RequestToFlagServer, testing::ValuesIn(request_cases()), request_name);
INSTANTIATE_TEST_SUITE_P(Matrix, RequestThroughProxy, testing::ValuesIn(request_cases()), request_name);

// ---- Responses -----------------------------------------------------------

// The scripted backend: the row's bytes for /first/<row>, an echo for anything else.
Answer scripted(const Message& request) {
  constexpr std::string_view first = "/first/";
  if (request.target.rfind(first, 0) == 0) {
    const auto row = static_cast<std::size_t>(std::stoul(request.target.substr(first.size())));
    if (row < response_cases().size()) return {response_cases()[row].bytes, response_cases()[row].close_after};
  }
  return echo(request);
}

std::size_t row_of(const ResponseCase& rc) {
  const auto& all = response_cases();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].name == rc.name) return i;
  return all.size();
}

std::string run_response_case(const ResponseCase& rc, ProxyRig& r) {
  const std::string row = std::to_string(row_of(rc));
  const std::string first = "/first/" + row, same = "/second/" + row + "/same", fresh = "/second/" + row + "/new";
  const std::string warm = "/warm/" + row;
  const std::size_t mark = r.backend->mark();
  Problems problem;

  // 0. A request before, so that the row's request goes out on a pooled backend
  // connection, as it would on a busy proxy (and whether the test runs alone or not).
  {
    Client w(r.proxy.port());
    w.send("GET " + warm + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    w.read_to_close(kAnswerTimeout);
    const auto p = parse_responses(w.received(), {"GET"}, w.closed());
    if (p.finals.size() != 1 || p.finals[0].body != warm)
      return "  - the warm-up request failed: " + escape(w.received());
  }

  // 1. The row's answer, to GET or HEAD.
  Client a(r.proxy.port());
  a.send(rc.method + " " + first + " HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::vector<std::string> methods{rc.method, "GET"};
  const auto one_final = [&](const std::string& bytes) {
    const auto p = parse_responses(bytes, methods, false);
    return !p.finals.empty() || !p.error.empty();
  };
  const auto end = a.read_until(one_final, kAnswerTimeout);
  auto got = parse_responses(a.received(), methods, a.closed());
  const bool proxy_502 = !got.finals.empty() && got.finals[0].status == 502;
  if (end == Client::End::timeout) problem("no complete answer within 2 s (hang)");
  if (!got.error.empty()) problem("the client got a response that is not well-framed: " + got.error);
  if (got.finals.empty() && got.error.empty() && !got.cut && end != Client::End::timeout)
    problem("the connection closed with no answer (no 502)");
  if (!got.finals.empty()) {
    const auto& f = got.finals[0];
    const bool as_intended = f.status == rc.status && f.body == rc.body;
    if (smuggled_answer(f)) problem("the client got the hidden response: " + describe(f));
    switch (rc.expect) {
      case Relay::relay:
        if (!as_intended)
          problem("expected " + std::to_string(rc.status) + " body \"" + escape(rc.body, 80) + "\", got " +
                  describe(f));
        break;
      case Relay::bad:
        if (!proxy_502) problem("expected a 502 for an invalid response, got " + describe(f));
        break;
      case Relay::either:
        if (!as_intended && !proxy_502)
          problem("expected " + std::to_string(rc.status) + " body \"" + escape(rc.body, 80) + "\" or a 502, got " +
                  describe(f));
        break;
      case Relay::truncated:
        if (!proxy_502) problem("a broken answer was relayed as a complete one: " + describe(f));
        break;
    }
  } else if (got.cut && rc.expect != Relay::truncated) {
    problem("the answer was cut off by a close");
  }
  // After a 502 the proxy may close or keep the client connection (RFC 9112 6.3 closes the
  // one to the server); kept, the second request below shows whether it is still in step.

  // 2. A second request on the same connection, when it is still open: its own answer, not leftovers.
  const bool first_says_close = !got.finals.empty() && got.finals[0].wants_close();
  if (problem.none() && !a.closed() && !first_says_close && got.finals.size() == 1) {
    a.send("GET " + same + " HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto two_finals = [&](const std::string& bytes) {
      const auto p = parse_responses(bytes, methods, false);
      return p.finals.size() >= 2 || !p.error.empty();
    };
    const auto end2 = a.read_until(two_finals, kAnswerTimeout);
    got = parse_responses(a.received(), methods, a.closed());
    if (!got.error.empty())
      problem("after the first answer the client got bytes that are not a response: " + got.error);
    if (got.finals.size() >= 2 && (got.finals[1].status != 200 || got.finals[1].body != same))
      problem("the second request on the same connection got " + describe(got.finals[1]) +
              " (leftover bytes of the first answer: responses shifted)");
    if (end2 == Client::End::timeout) problem("the second request on the same connection got no answer in 2 s");
  } else if (!got.finals.empty() && !a.closed()) {
    // The proxy said close (or sent more than one answer): it must close, with nothing more.
    a.read_to_close(kAnswerTimeout);
    const auto all = parse_responses(a.received(), methods, a.closed());
    if (all.finals.size() > 1)
      problem(
          std::string(smuggled_answer(all.finals[1]) ? "the hidden response reached the client" : "an extra response") +
          " after the first: " + describe(all.finals[1]));
  }

  // 3. A request on a new connection: the pooled backend connection must be clean.
  Client b(r.proxy.port());
  b.send("GET " + fresh + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  const auto end3 = b.read_to_close(kAnswerTimeout);
  const auto got3 = parse_responses(b.received(), {"GET"}, b.closed());
  if (end3 == Client::End::timeout) problem("a request on a new connection got no answer and close in 2 s");
  if (!got3.error.empty() || got3.cut || got3.finals.size() != 1 || got3.finals[0].status != 200 ||
      got3.finals[0].body != fresh || smuggled_answer(got3.finals[0]))
    problem("a request on a new connection got \"" + escape(b.received(), 160) +
            "\", not its own answer (a poisoned pooled backend connection)");

  // 4. The backend: well-formed requests only, each exactly once. (A stale pooled
  // connection retried on a fresh one does not count twice: the backend had closed it.)
  std::map<std::string, int> seen;
  for (const auto& e : r.backend->since(mark)) {
    if (e.kind == BackendEvent::Kind::error) problem("the proxy sent the backend a malformed request: " + e.error);
    if (e.kind != BackendEvent::Kind::message) continue;
    const auto& t = e.message.target;
    if (t != first && t != same && t != fresh && t != warm) problem("the backend got an unexpected request for " + t);
    ++seen[t];
  }
  // A backend that closes without a byte looks like a stale pooled connection: one retry is fair.
  // The second request may be missing (not sent, or answered from leftovers: reported above).
  const bool retry_fair = rc.bytes.empty();
  for (const auto& t : {first, same, fresh}) {
    const int n = seen[t];
    const bool ok = n == 1 || (t == same && n == 0) || (t == first && retry_fair && n == 2);
    if (!ok)
      problem("the backend got " + t + " " + std::to_string(n) + " time(s)" +
              (n > 1 ? " (sent again after a bad answer on a pooled connection)" : ""));
  }

  if (problem.none()) return "";
  return problem.text + "  backend wrote: " + escape(rc.bytes) +
         "\n  client got (same connection): " + escape(a.received()) + "\n";
}

class ResponseThroughProxy : public testing::TestWithParam<ResponseCase> {};

TEST_P(ResponseThroughProxy, Framing) {
  static std::unique_ptr<ProxyRig> slot;
  ProxyRig& r = rig(slot, scripted);
  const std::string problems = run_row([&] { return run_response_case(GetParam(), r); }, r.proxy, &r.dirty);
  EXPECT_TRUE(problems.empty()) << "\n" << problems;
}

std::string response_name(const testing::TestParamInfo<ResponseCase>& row) { return row.param.name; }

INSTANTIATE_TEST_SUITE_P(Matrix, ResponseThroughProxy, testing::ValuesIn(response_cases()), response_name);

// The matrix's own size, so that a row lost in an edit shows.
TEST(FramingMatrix, HasEnoughRows) {
  EXPECT_GE(request_cases().size(), 60u);
  EXPECT_GE(response_cases().size(), 40u);
}

}  // namespace
}  // namespace platespin::framing
