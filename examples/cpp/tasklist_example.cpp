// The main job with libtasklist, in C++17: the C API wrapped in RAII handles and an
// exception type, then authenticate, find open tasks, claim one, complete it, print JSON.
//
//   tasklist_example_cpp oauth  BASE_URL [TOKEN_URL CLIENT_ID CLIENT_SECRET [AUDIENCE]]
//   tasklist_example_cpp cookie BASE_URL [USERNAME PASSWORD]
//   tasklist_example_cpp env
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "tasklist.h"

namespace tasklist {

// A failed call, with everything the C error carried (copied, so the error can be freed).
class Error : public std::runtime_error {
public:
    Error(tasklist_status status, tasklist_error *err)
        : std::runtime_error(err ? tasklist_error_message(err) : tasklist_status_name(status)),
          status_(status),
          http_status_(err ? tasklist_error_http_status(err) : 0),
          body_(err && tasklist_error_body(err) ? tasklist_error_body(err) : "") {}
    tasklist_status status() const { return status_; }
    const char *name() const { return tasklist_status_name(status_); }
    unsigned http_status() const { return http_status_; }
    const std::string &body() const { return body_; }

private:
    tasklist_status status_;
    unsigned http_status_;
    std::string body_;
};

// Runs one C call with an error slot of its own, then throws if it failed; frees the C error
// either way. The error is read only after the call has returned: written as
// `check(f(&err), err)`, `err` could be read before `f` fills it (C++ leaves the order of
// arguments open), and the error would be lost and leaked.
template <typename Call>
void call(Call &&c) {
    tasklist_error *err = nullptr;
    const tasklist_status status = c(&err);
    std::unique_ptr<tasklist_error, decltype(&tasklist_error_free)> owned(err, tasklist_error_free);
    if (status != TASKLIST_OK) throw Error(status, err);
}

// For the setters, which report a status only.
inline void check(tasklist_status status) {
    if (status != TASKLIST_OK) throw Error(status, nullptr);
}

// Takes ownership of a string the library returned.
inline std::string take(char *json) {
    std::unique_ptr<char, decltype(&tasklist_string_free)> owned(json, tasklist_string_free);
    return json ? std::string(json) : std::string();
}

using Options = std::unique_ptr<tasklist_options, decltype(&tasklist_options_free)>;

class Client {
public:
    explicit Client(const Options &options) {
        tasklist_client *raw = nullptr;
        tasklist::call([&](tasklist_error **err) {
            return tasklist_client_new(options.get(), &raw, err);
        });
        client_.reset(raw);
    }
    void login() const {
        tasklist::call([&](tasklist_error **err) { return tasklist_client_login(client_.get(), err); });
    }
    std::string search_tasks(const std::string &query) const {
        char *json = nullptr;
        tasklist::call([&](tasklist_error **err) {
            return tasklist_search_tasks(client_.get(), query.c_str(), &json, err);
        });
        return take(json);
    }
    std::string assign_task(const std::string &id, const char *request) const {
        char *json = nullptr;
        tasklist::call([&](tasklist_error **err) {
            return tasklist_assign_task(client_.get(), id.c_str(), request, &json, err);
        });
        return take(json);
    }
    std::string complete_task(const std::string &id, const std::string &request) const {
        char *json = nullptr;
        tasklist::call([&](tasklist_error **err) {
            return tasklist_complete_task(client_.get(), id.c_str(), request.c_str(), &json, err);
        });
        return take(json);
    }

private:
    std::unique_ptr<tasklist_client, decltype(&tasklist_client_free)> client_{nullptr, tasklist_client_free};
};

}  // namespace tasklist

static tasklist::Options options_from_args(int argc, char **argv) {
    tasklist::Options options(nullptr, tasklist_options_free);
    tasklist_options *raw = nullptr;
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "env") {
        tasklist::call([&](tasklist_error **err) { return tasklist_options_from_env(&raw, err); });
        options.reset(raw);
        return options;
    }
    if (argc < 3 || (mode != "oauth" && mode != "cookie")) {
        throw std::invalid_argument("usage: tasklist_example_cpp oauth|cookie BASE_URL [...] | env");
    }
    tasklist::check(tasklist_options_new(&raw));
    options.reset(raw);
    std::string base_url = argv[2];
    tasklist::check(tasklist_options_set_base_url(raw, base_url.c_str()));
    if (mode == "oauth") {
        std::string token_url = argc > 3 ? argv[3] : base_url + "/oauth/token";
        tasklist::check(tasklist_options_set_oauth(raw, token_url.c_str(),
                                                   argc > 4 ? argv[4] : "tasklist-client",
                                                   argc > 5 ? argv[5] : "tasklist-secret",
                                                   argc > 6 ? argv[6] : nullptr));
    } else {
        tasklist::check(tasklist_options_set_cookie_login(raw, argc > 3 ? argv[3] : "demo",
                                                          argc > 4 ? argv[4] : "demo"));
    }
    return options;
}

// The first "id" value of a JSON text; real programs should use a JSON library.
static std::string first_id(const std::string &json) {
    auto key = json.find("\"id\"");
    if (key == std::string::npos) return "";
    auto start = json.find('"', key + 4);
    auto end = start == std::string::npos ? start : json.find('"', start + 1);
    return end == std::string::npos ? "" : json.substr(start + 1, end - start - 1);
}

int main(int argc, char **argv) {
    try {
        tasklist::Client client(options_from_args(argc, argv));
        bool oauth = std::string(argc > 1 ? argv[1] : "") != "cookie";
        client.login();
        std::string tasks = client.search_tasks(R"({"state":"CREATED","assigned":false,"pageSize":5})");
        std::printf("searched open, unassigned tasks: %zu bytes of JSON\n", tasks.size());
        std::string id = first_id(tasks);
        if (id.empty()) {
            std::printf("no open task to work on\n");
            return 0;
        }
        client.assign_task(id, oauth ? R"({"assignee":"demo"})" : nullptr);
        std::printf("claimed task %s\n", id.c_str());
        std::string done = client.complete_task(
            id, R"({"variables":[{"name":"approved","value":"true"},)"
                R"({"name":"comment","value":"\"checked by the C++ example\""}]})");
        std::printf("completed task:\n%s\n", done.c_str());
        return 0;
    } catch (const tasklist::Error &e) {
        std::fprintf(stderr, "%s: %s\n", e.name(), e.what());
        if (e.http_status() != 0) std::fprintf(stderr, "  HTTP %u: %s\n", e.http_status(), e.body().c_str());
        return 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
}
