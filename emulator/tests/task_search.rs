//! POST /v1/tasks/search against reference §2.1, §5.1 and §7.

mod common;
use common::*;
use serde_json::Value;
use tasklist_emulator::Config;

#[test]
fn default_search_returns_fifty_non_canceled_tasks_newest_first() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let tasks = client.search("");
    assert_eq!(tasks.len(), 50);
    assert!(tasks.iter().all(|t| t["taskState"] != "CANCELED"));
    assert_eq!(tasks[0]["isFirst"], true);
    assert!(tasks[1..].iter().all(|t| t["isFirst"] == false));
    for pair in tasks.windows(2) {
        let a: Vec<i64> = pair[0]["sortValues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().parse().unwrap())
            .collect();
        let b: Vec<i64> = pair[1]["sortValues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().parse().unwrap())
            .collect();
        assert!(
            a[0] > b[0] || (a[0] == b[0] && a[1] < b[1]),
            "creation desc, key asc: {a:?} {b:?}"
        );
    }
    // Keys are strings; dates in Tasklist's format.
    let first = &tasks[0];
    assert!(first["id"].is_string() && first["processInstanceKey"].is_string());
    let date = first["creationDate"].as_str().unwrap();
    assert_eq!(date.len(), "2023-02-20T18:37:19.214+0000".len());
    assert!(date.ends_with("+0000"));
    assert_eq!(first["sortValues"][1], first["id"]);
    // Empty object body is the same as no body.
    assert_eq!(ids(&client.search("{}")), ids(&tasks));
}

#[test]
fn equal_creation_times_are_ordered_by_key() {
    let emulator = start_default();
    let tasks = Client::bearer(&emulator).search(r#"{"pageSize":1000}"#);
    let creation: Vec<&str> = tasks
        .iter()
        .map(|t| t["sortValues"][0].as_str().unwrap())
        .collect();
    let tie = creation
        .windows(2)
        .position(|w| w[0] == w[1])
        .expect("the seed has a tie");
    let (a, b) = (&tasks[tie]["id"], &tasks[tie + 1]["id"]);
    assert!(
        a.as_str().unwrap().parse::<i64>().unwrap() < b.as_str().unwrap().parse::<i64>().unwrap()
    );
}

#[test]
fn state_filter_and_canceled_exclusion() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let all = client.search(r#"{"pageSize":1000}"#);
    let canceled = client.search(r#"{"state":"CANCELED","pageSize":1000}"#);
    let created = client.search(r#"{"state":"CREATED","pageSize":1000}"#);
    let completed = client.search(r#"{"state":"COMPLETED","pageSize":1000}"#);
    assert!(!canceled.is_empty());
    assert!(canceled.iter().all(|t| t["taskState"] == "CANCELED"));
    assert_eq!(all.len(), created.len() + completed.len());
    assert_eq!(all.len() + canceled.len(), 120);
    // COMPLETED is ordered by completion time, newest first.
    let completion: Vec<&str> = completed
        .iter()
        .map(|t| t["completionDate"].as_str().unwrap())
        .collect();
    let mut sorted = completion.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(completion, sorted);
}

#[test]
fn filters_narrow_the_result() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let check = |body: &str, pred: &dyn Fn(&Value) -> bool| {
        let tasks = client.search(body);
        assert!(!tasks.is_empty(), "{body} matched nothing");
        assert!(tasks.iter().all(pred), "{body}");
        tasks.len()
    };
    check(r#"{"assigned":true,"pageSize":500}"#, &|t| {
        t["assignee"].is_string()
    });
    check(r#"{"assigned":false,"pageSize":500}"#, &|t| {
        t["assignee"].is_null()
    });
    check(r#"{"assignee":"demo","pageSize":500}"#, &|t| {
        t["assignee"] == "demo"
    });
    check(r#"{"taskDefinitionId":"prepareDesk"}"#, &|t| {
        t["taskDefinitionId"] == "prepareDesk" && t["name"] == "prepareDesk"
    });
    check(r#"{"candidateGroup":"management"}"#, &|t| {
        t["candidateGroups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "management")
    });
    check(r#"{"candidateUser":"jane"}"#, &|t| {
        t["candidateUsers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "jane")
    });
    let pdk = emulator_process_key(&emulator, "support-ticket");
    check(&format!(r#"{{"processDefinitionKey":"{pdk}"}}"#), &|t| {
        t["processDefinitionKey"] == pdk.as_str() && t["processName"] == "support-ticket"
    });
    let one = &client.search("")[3];
    let pik = one["processInstanceKey"].as_str().unwrap();
    let n = check(&format!(r#"{{"processInstanceKey":"{pik}"}}"#), &|t| {
        t["processInstanceKey"] == pik
    });
    assert_eq!(n, 1);
    check(
        r#"{"dueDate":{"from":"2024-01-16T00:00:00.000+0000","to":"2024-01-20T00:00:00Z"}}"#,
        &|t| {
            let d = t["dueDate"].as_str().unwrap();
            ("2024-01-16".."2024-01-20T00:00:00.001").contains(&d)
        },
    );
    check(
        r#"{"followUpDate":{"from":"2024-01-15T00:00:00+00:00"}}"#,
        &|t| t["followUpDate"].is_string(),
    );
    // Unknown properties (8.5 fields included) are ignored.
    assert_eq!(
        client
            .search(r#"{"assignees":["nobody"],"whatever":1}"#)
            .len(),
        50
    );
    assert!(client.search(r#"{"assignee":"nobody"}"#).is_empty());
}

fn emulator_process_key(emulator: &tasklist_emulator::Emulator, bpmn_process_id: &str) -> String {
    let data = send(emulator.addr(), "GET", "/__emulator/data", &[], b"")
        .unwrap()
        .json();
    data["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["bpmnProcessId"] == bpmn_process_id)
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn task_variables_filter_compares_json_text() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let tasks = client.search(r#"{"taskVariables":[{"name":"priority","value":"\"high\"","operator":"eq"}],"pageSize":500}"#);
    assert!(!tasks.is_empty());
    assert!(tasks
        .iter()
        .all(|t| t["taskDefinitionId"] == "triageTicket"));
    let none =
        client.search(r#"{"taskVariables":[{"name":"priority","value":"high","operator":"eq"}]}"#);
    assert!(none.is_empty(), "unquoted text is not the JSON string");
    let all_types = landmark(&emulator, "allTypesTaskId");
    let by_number = client.search(r#"{"taskVariables":[{"name":"numberVar","value":"42"},{"name":"boolVar","value":"true"}]}"#);
    assert_eq!(ids(&by_number), vec![all_types]);
}

#[test]
fn sort_values_follow_the_explicit_sort() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let tasks = client.search(r#"{"sort":[{"field":"dueDate","order":"ASC"}],"pageSize":200}"#);
    assert_eq!(tasks[0]["sortValues"].as_array().unwrap().len(), 2);
    let dues: Vec<Option<&str>> = tasks.iter().map(|t| t["dueDate"].as_str()).collect();
    let first_missing = dues.iter().position(Option::is_none).unwrap();
    assert!(
        dues[..first_missing].iter().all(Option::is_some),
        "tasks without due date sort last in ASC"
    );
    assert!(dues[..first_missing].windows(2).all(|w| w[0] <= w[1]));
    // Missing dates sort as 2099-12-31 in ASC.
    assert_eq!(tasks[first_missing]["sortValues"][0], "4102358400000");
    let desc = client.search(r#"{"sort":[{"field":"followUpDate","order":"DESC"},{"field":"creationTime","order":"ASC"}]}"#);
    assert_eq!(desc[0]["sortValues"].as_array().unwrap().len(), 3);
}

#[test]
fn cursors_page_forward_and_backward() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let all = ids(&client.search(r#"{"pageSize":1000}"#));
    let page1 = client.search(r#"{"pageSize":10}"#);
    assert_eq!(ids(&page1), all[0..10]);
    let last = page1[9]["sortValues"].to_string();
    let page2 = client.search(&format!(r#"{{"pageSize":10,"searchAfter":{last}}}"#));
    assert_eq!(ids(&page2), all[10..20]);
    assert!(page2.iter().all(|t| t["isFirst"] == false));
    let page2_or_equal =
        client.search(&format!(r#"{{"pageSize":10,"searchAfterOrEqual":{last}}}"#));
    assert_eq!(ids(&page2_or_equal), all[9..19]);
    let first_of_page2 = page2[0]["sortValues"].to_string();
    let back = client.search(&format!(
        r#"{{"pageSize":10,"searchBefore":{first_of_page2}}}"#
    ));
    assert_eq!(ids(&back), all[0..10], "previous page in forward order");
    assert_eq!(back[0]["isFirst"], true);
    let back_or_equal = client.search(&format!(
        r#"{{"pageSize":10,"searchBeforeOrEqual":{first_of_page2}}}"#
    ));
    assert_eq!(ids(&back_or_equal), all[1..11]);
    // Walking to the end ends with an empty page.
    let tail = client.search(&format!(
        r#"{{"pageSize":10,"searchAfter":{}}}"#,
        client.search(r#"{"pageSize":1000}"#).last().unwrap()["sortValues"]
    ));
    assert!(tail.is_empty());
}

#[test]
fn generated_tasks_page_in_creation_order() {
    let emulator = start(Config {
        generated_tasks: 250,
        ..Config::default()
    });
    let client = Client::bearer(&emulator);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let body = match &cursor {
            None => r#"{"candidateGroup":"generated","pageSize":100}"#.to_string(),
            Some(c) => {
                format!(r#"{{"candidateGroup":"generated","pageSize":100,"searchAfter":{c}}}"#)
            }
        };
        let page = client.search(&body);
        if page.is_empty() {
            break;
        }
        cursor = Some(page.last().unwrap()["sortValues"].to_string());
        seen.extend(page.iter().map(|t| t["name"].as_str().unwrap().to_string()));
    }
    assert_eq!(seen.len(), 250);
    assert_eq!(seen[0], "Do work 249");
    assert_eq!(seen[249], "Do work 0");
}

#[test]
fn include_variables_embeds_named_variables_without_drafts() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let all_types = landmark(&emulator, "allTypesTaskId");
    let tasks = client.search(r#"{"includeVariables":[{"name":"amount"},{"name":"longText"},{"name":"approved"}],"pageSize":1000}"#);
    let task = tasks
        .iter()
        .find(|t| t["id"] == all_types.as_str())
        .unwrap();
    let vars = task["variables"].as_array().unwrap();
    let names: Vec<&str> = vars.iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["amount", "approved", "longText"]);
    assert!(
        vars.iter().all(|v| v["draft"].is_null()),
        "drafts never included"
    );
    assert_eq!(
        vars[1]["value"], "true",
        "local variable shadows the process one"
    );
    assert_eq!(vars[2]["isValueTruncated"], true);
    assert!(vars[2]["value"].is_null());
    assert_eq!(
        vars[2]["previewValue"].as_str().unwrap().chars().count(),
        8191
    );
    let without = client.search("{}");
    assert!(without[0]["variables"].is_null());
}

#[test]
fn validation_errors_match_the_reference() {
    let emulator = start_default();
    let client = Client::bearer(&emulator);
    let reply = client.post(
        "/v1/tasks/search",
        r#"{"searchAfter":["1","2"],"searchBefore":["1","2"]}"#,
    );
    assert_problem(&reply, 400, "Only one of [searchAfter, searchAfterOrEqual, searchBefore, searchBeforeOrEqual] must be present in request.", true);
    for size in ["0", "-1"] {
        let reply = client.post("/v1/tasks/search", &format!(r#"{{"pageSize":{size}}}"#));
        assert_problem(
            &reply,
            400,
            "Page size cannot should be a positive number",
            true,
        );
    }
    let bad_enum = client.post("/v1/tasks/search", r#"{"state":"FOO"}"#);
    assert_eq!(bad_enum.status, 400);
    assert!(bad_enum.json()["instance"].is_null());
    assert!(
        bad_enum.message().contains(
            "not one of the values accepted for Enum class: [CANCELED, COMPLETED, CREATED]"
        ),
        "{}",
        bad_enum.message()
    );
    let bad_json = client.post("/v1/tasks/search", "{not json");
    assert_eq!(bad_json.status, 400);
    assert_eq!(
        bad_json.header("content-type"),
        Some("application/problem+json")
    );
    assert!(bad_json.json()["instance"].is_null());
    assert!(bad_json.message().starts_with("JSON parse error"));
}
