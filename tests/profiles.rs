//! Counterparty profiles: the built-ins change what the seeds say they change and nothing else,
//! a user's profile can use every kind of overlay, and the loader refuses what it cannot use.

use crate::files::repo;
use qmwire::profile::{Profile, BUILTINS};
use qmwire::{Options, PrivacyCheck, Severity};

/// The profile the fixtures under `tests/fixtures/profiles/<dir>/` are written for, with the
/// variables they use.
pub(crate) fn fixture_profile(dir: &str) -> Profile {
    let mut profile = if BUILTINS.iter().any(|(n, _)| *n == dir) {
        Profile::open(dir).unwrap()
    } else {
        let path = repo()
            .join("tests/fixtures/profiles")
            .join(dir)
            .join("profile.toml");
        Profile::from_file(&path).unwrap()
    };
    if dir == "jxwms" {
        profile.set_var("owner_id", "404781084").unwrap();
        profile.set_var("warehouse_id", "1038").unwrap();
    }
    profile
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/profiles").join(name)).unwrap()
}

/// `(rule, severity, path)` of every issue.
fn findings(input: &[u8], options: &Options) -> Vec<(String, Severity, String)> {
    qmwire::lint(input, options)
        .issues
        .into_iter()
        .map(|i| (i.rule.to_string(), i.severity, i.path))
        .collect()
}

fn with(dir: &str) -> Options {
    Options::new().with_profile(fixture_profile(dir))
}

fn f(rule: &str, severity: Severity, path: &str) -> (String, Severity, String) {
    (rule.to_string(), severity, path.to_string())
}

use Severity::{Error, Info, Warning};

#[test]
fn jxwms_drops_the_false_errors_of_its_own_samples() {
    let base = Options::new();
    let item = read("jxwms/singleitem_ok.xml");
    assert_eq!(
        findings(&item, &base),
        [f("required", Error, "/request/item/barCode")]
    );
    assert_eq!(findings(&item, &with("jxwms")), []);
    let order = read("jxwms/deliveryorder_ok.http");
    let without = findings(&order, &base);
    assert_eq!(
        without,
        [f(
            "required",
            Error,
            "/request/orderLines/orderLine[1]/actualPrice"
        )]
    );
    assert_eq!(findings(&order, &with("jxwms")), []);
    let confirm = read("jxwms/confirm.xml");
    assert_eq!(
        findings(&confirm, &base).len(),
        6,
        "3 extra line fields × 2 lines"
    );
    assert_eq!(findings(&confirm, &with("jxwms")), []);
}

#[test]
fn jxwms_enforces_what_it_demands() {
    let order = read("jxwms/deliveryorder_err.http");
    assert_eq!(
        findings(&order, &Options::new()),
        [f("sign.missing", Error, "?sign")]
    );
    assert_eq!(
        findings(&order, &with("jxwms")),
        [
            f("profile.equals", Error, "?customerId"),
            f(
                "required",
                Error,
                "/request/deliveryOrder/sourcePlatformCode"
            ),
            f("required", Error, "/request/deliveryOrder/ownerCode"),
            f(
                "profile.equals",
                Error,
                "/request/deliveryOrder/warehouseCode"
            ),
            f(
                "required",
                Warning,
                "/request/deliveryOrder/receiverInfo/area"
            ),
            f(
                "required",
                Error,
                "/request/orderLines/orderLine[1]/itemName"
            ),
            f(
                "profile.equals",
                Error,
                "/request/orderLines/orderLine[1]/ownerCode"
            ),
        ]
    );
    let item = read("jxwms/singleitem_err.xml");
    assert_eq!(
        findings(&item, &with("jxwms")),
        [
            f("profile.recommended", Info, "/request/actionType"),
            f("profile.equals", Error, "/request/warehouseCode"),
            f("profile.recommended", Info, "/request/item/itemType"),
        ]
    );
    // Without values for its variables, the checks against them are skipped, not guessed.
    let bare = Options::new().with_profile(Profile::open("jxwms").unwrap());
    let rules: Vec<String> = findings(&order, &bare)
        .into_iter()
        .map(|(r, ..)| r)
        .collect();
    assert!(!rules.contains(&"profile.equals".to_string()), "{rules:?}");
    assert!(Profile::open("jxwms").unwrap().unset_vars() == ["owner_id", "warehouse_id"]);
}

#[test]
fn an_empty_block_draws_one_required_not_its_fields_overlays() {
    // jxwms requires `receiverInfo/area`. A `receiverInfo` with nothing in it is an absent
    // block, as for the base contract: one `required` for the block, nothing for its fields;
    // one that holds something but no `area` gets the profile's finding.
    let body = |receiver: &str| {
        format!(
            "<request><deliveryOrder><deliveryOrderCode>D1</deliveryOrderCode>\
             <orderType>JYCK</orderType><warehouseCode>1038</warehouseCode>\
             <ownerCode>404781084</ownerCode><sourcePlatformCode>API</sourcePlatformCode>\
             <createTime>2024-01-02 03:04:05</createTime><operateTime>2024-01-02 03:04:05</operateTime>\
             <logisticsCode>SF</logisticsCode>{receiver}</deliveryOrder>\
             <orderLines><orderLine><ownerCode>404781084</ownerCode><itemCode>I1</itemCode>\
             <itemName>n</itemName><planQty>1</planQty></orderLine></orderLines></request>"
        )
    };
    let receiver_paths = |xml: String, options: &Options| -> Vec<(String, Severity, String)> {
        findings(xml.as_bytes(), options)
            .into_iter()
            .filter(|(_, _, p)| p.contains("receiverInfo"))
            .collect()
    };
    let base = Options::new().with_method("deliveryorder.create");
    let options = with("jxwms").with_method("deliveryorder.create");
    for empty in [
        "<receiverInfo/>",
        "<receiverInfo><area> </area></receiverInfo>",
    ] {
        assert_eq!(
            receiver_paths(body(empty), &options),
            receiver_paths(body(empty), &base),
            "{empty}"
        );
    }
    let partial = receiver_paths(
        body(
            "<receiverInfo><name>n</name><mobile>13800000000</mobile><province>p</province>\
         <city>c</city><detailAddress>d</detailAddress></receiverInfo>",
        ),
        &options,
    );
    assert_eq!(
        partial,
        [f(
            "required",
            Warning,
            "/request/deliveryOrder/receiverInfo/area"
        )]
    );
}

#[test]
fn yptc_accepts_what_it_prescribes_and_flags_the_plain_defaults() {
    let ok = read("yptc/deliveryorder_ok.http");
    let base: Vec<String> = findings(&ok, &Options::new())
        .into_iter()
        .map(|(r, _, p)| format!("{r} {p}"))
        .collect();
    assert_eq!(
        base,
        [
            "param.missing ?customerid",
            "charset.mismatch Content-Type",
            "unknown-field /request/deliveryOrder/expectEndTime"
        ]
    );
    assert_eq!(findings(&ok, &with("yptc")), []);
    let err = read("yptc/deliveryorder_err.http");
    assert_eq!(
        findings(&err, &with("yptc")),
        [
            f("param.missing", Warning, "?customerId"),
            f("profile.param", Warning, "?method"),
            f("profile.param", Warning, "?v"),
            f("profile.param", Warning, "?sign_method"),
            f("profile.param", Warning, "Content-Type"),
            f("datetime", Error, "/request/deliveryOrder/expectEndTime"),
        ]
    );
}

#[test]
fn a_user_profile_can_use_every_overlay() {
    let ok = read("custom/deliveryorder_ok.xml");
    assert_eq!(
        findings(&ok, &with("custom")),
        [
            f(
                "unknown-field",
                Info,
                "/request/orderLines/orderLine[1]/lineNote"
            ),
            f("unknown-field", Error, "/request/stray"),
        ]
    );
    let err = read("custom/deliveryorder_err.xml");
    assert_eq!(
        findings(&err, &with("custom")),
        [
            f("required", Error, "/request/deliveryOrder/expectEndTime"),
            f("enum", Error, "/request/deliveryOrder/orderType"),
            f("max-length", Error, "/request/deliveryOrder/shopNick"),
            f("max-length", Error, "/request/deliveryOrder/deliveryCode"),
            f("any-of", Error, "/request/deliveryOrder/receiverInfo"),
            f(
                "unknown-field",
                Info,
                "/request/orderLines/orderLine[1]/lineNote"
            ),
            f("unknown-field", Error, "/request/stray"),
        ]
    );
    let report = qmwire::lint(&err, &with("custom"));
    let used = report.profile.expect("the report names its profile");
    assert_eq!(used.id, "acme");
    let changed: Vec<_> = used
        .changed
        .iter()
        .map(|c| (c.rule, c.from, c.to, c.count))
        .collect();
    assert_eq!(
        changed,
        [
            ("unknown-field", Warning, Some(Info), 1),
            ("unknown-field", Warning, Some(Error), 1)
        ]
    );
    let unlisted = read("custom/singleitem_unlisted.xml");
    assert_eq!(
        findings(&unlisted, &with("custom")),
        [f("profile.method", Error, "/")]
    );
}

#[test]
fn the_json_report_names_the_profile_and_what_it_changed() {
    let input = read("custom/deliveryorder_ok.xml");
    let report = qmwire::lint(&input, &with("custom"));
    let text = String::from_utf8(input.clone()).unwrap();
    let files = [qmwire::render::FileReport {
        path: "x.xml",
        input: &text,
        report: &report,
    }];
    let v = qmwire::render::json::render(&files);
    assert_eq!(v["files"][0]["profile"]["id"], "acme");
    assert_eq!(v["files"][0]["profile"]["changed"][0]["to"], "info");
    assert_eq!(v["summary"]["infos"], 1);
    let plain = qmwire::lint(&input, &Options::new());
    let files = [qmwire::render::FileReport {
        path: "x.xml",
        input: &text,
        report: &plain,
    }];
    let v = qmwire::render::json::render(&files);
    assert!(v["files"][0].get("profile").is_none() && v["summary"].get("infos").is_none());
}

#[test]
fn resolved_profiles_load_again_as_the_same_profile() {
    for dir in ["jxwms", "yptc", "custom"] {
        let first = fixture_profile(dir).resolved_toml();
        let again = Profile::parse(&first, "resolved.toml", None)
            .unwrap_or_else(|e| panic!("{dir}: {e}\n{first}"))
            .resolved_toml();
        // The header comment names the chain, which is now one file.
        let body = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
        assert_eq!(body(&first), body(&again), "{dir}");
    }
}

#[test]
fn a_profile_sets_privacy_and_window_and_later_options_win() {
    let profile = Profile::parse(
        "schema = 1\n[profile]\nid = \"p\"\n[transport]\ntimestamp-window = 300\n[privacy]\nplaintext = \"forbid\"\n",
        "p.toml",
        None,
    )
    .unwrap();
    let options = Options::new().with_profile(profile.clone());
    assert_eq!(
        (options.privacy, options.timestamp_window),
        (PrivacyCheck::Forbid, Some(300))
    );
    let options = Options::new()
        .with_profile(profile)
        .with_privacy(PrivacyCheck::Warn);
    assert_eq!(options.privacy, PrivacyCheck::Warn);
}

#[test]
fn profile_messages_never_show_personal_values() {
    let profile = Profile::parse(
        "schema = 1\n[profile]\nid = \"p\"\n[methods.\"deliveryorder.create\".fields]\n\"deliveryOrder/receiverInfo/name\" = { equals = \"王五\", max-chars = 1 }\n\"deliveryOrder/receiverInfo/mobile\" = { recommended = \"10000\" }\n",
        "p.toml",
        None,
    )
    .unwrap();
    let input = read("yptc/deliveryorder_ok.http");
    let report = qmwire::lint(&input, &Options::new().with_profile(profile));
    let rules: Vec<&str> = report.issues.iter().map(|i| i.rule).collect();
    assert_eq!(
        rules.iter().filter(|r| r.starts_with("profile.")).count(),
        2,
        "{rules:?}"
    );
    assert!(rules.contains(&"max-length"), "{rules:?}");
    for issue in &report.issues {
        assert!(
            !issue.message.contains("赵六") && !issue.message.contains("13300000004"),
            "{}",
            issue.message
        );
    }
}

#[test]
fn a_variable_the_profile_does_not_declare_is_refused() {
    let mut p = Profile::open("jxwms").unwrap();
    let e = p.set_var("owner", "1").unwrap_err();
    assert!(e.message.contains("did you mean `owner_id`?"), "{e}");
}

/// The JSON view of a Qimen body (the instance its JSON Schema describes).
fn view(xml: &[u8]) -> serde_json::Value {
    let doc = qmwire::qimen::decode_qimen(xml, None, &qmwire::Limits::default()).unwrap();
    qmwire::render::json_view::json_view(&doc.body)
}

/// Whether `instance` passes `method`'s request schema, under `profile` when given.
fn schema_accepts(method: &str, profile: Option<&Profile>, instance: &serde_json::Value) -> bool {
    let text = std::fs::read_to_string(repo().join(format!("schemas/qimen/{method}.request.json")))
        .unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    if let Some(p) = profile {
        qmwire::profile::apply_to_schema(p, &format!("taobao.qimen.{method}"), false, &mut schema);
    }
    let v = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("the profiled schema does not compile: {e}"));
    v.is_valid(instance)
}

#[test]
fn a_profiles_schema_agrees_with_linting_under_it() {
    let cases = [
        ("jxwms", "jxwms/singleitem_ok.xml", "singleitem.synchronize"),
        (
            "jxwms",
            "jxwms/singleitem_err.xml",
            "singleitem.synchronize",
        ),
        (
            "custom",
            "custom/deliveryorder_ok.xml",
            "deliveryorder.create",
        ),
        (
            "custom",
            "custom/deliveryorder_err.xml",
            "deliveryorder.create",
        ),
    ];
    for (dir, file, method) in cases {
        let input = read(file);
        let instance = view(&input);
        let profile = fixture_profile(dir);
        let plain = qmwire::lint(&input, &Options::new()).is_valid();
        // Unknown elements are errors under the made-up profile; schemas allow unknown members,
        // as they do without a profile, so that rule is left out of the comparison.
        let profiled = qmwire::lint(&input, &Options::new().with_profile(profile.clone()))
            .issues
            .iter()
            .all(|i| i.severity != Severity::Error || i.rule == "unknown-field");
        assert_eq!(
            schema_accepts(method, None, &instance),
            plain,
            "{file} without a profile"
        );
        assert_eq!(
            schema_accepts(method, Some(&profile), &instance),
            profiled,
            "{file} under {dir}"
        );
    }
    // The one that changes its verdict: 聚星 takes an item without a barcode.
    let item = view(&read("jxwms/singleitem_ok.xml"));
    assert!(!schema_accepts("singleitem.synchronize", None, &item));
    assert!(schema_accepts(
        "singleitem.synchronize",
        Some(&fixture_profile("jxwms")),
        &item
    ));
}

#[test]
fn a_field_the_profile_adds_can_be_personal() {
    let input = read("custom/deliveryorder_ok.xml");
    let text = String::from_utf8(input.clone()).unwrap();
    let id = "110101199001011234";
    assert!(text.contains(id));
    let options = with("custom").with_privacy(PrivacyCheck::Forbid);
    let report = qmwire::lint(&input, &options);
    let plain: Vec<&str> = report
        .issues
        .iter()
        .filter(|i| i.rule == "privacy.plaintext")
        .map(|i| i.path.as_str())
        .collect();
    assert!(
        plain.contains(&"/request/deliveryOrder/receiverInfo/idCard"),
        "{plain:?}"
    );
    let files = [qmwire::render::FileReport {
        path: "x.xml",
        input: &text,
        report: &report,
    }];
    let human = qmwire::render::human::render(&files);
    let json = qmwire::render::json::render(&files).to_string();
    assert!(!human.contains(id) && !json.contains(id), "{human}");
}

#[test]
fn redaction_under_a_profile_rewrites_the_personal_fields_it_adds() {
    let input = read("custom/deliveryorder_ok.xml");
    let id = "110101199001011234";
    let redactor = qmwire::Redactor::new(qmwire::redact::Policy::Mask, None).unwrap();
    let plain = qmwire::redact(&input, &Options::new(), &redactor).unwrap();
    assert!(
        String::from_utf8_lossy(&plain.output).contains(id),
        "not personal without it"
    );
    let profiled = qmwire::redact(&input, &with("custom"), &redactor).unwrap();
    let out = String::from_utf8(profiled.output).unwrap();
    assert!(!out.contains(id), "{out}");
    assert!(out.contains("<idCard>"), "only the value is rewritten");
    assert_eq!(profiled.values, plain.values + 1);
    // The same inside a request, where the Content-Length follows the new body.
    let body = String::from_utf8(input.clone()).unwrap();
    let request = format!(
        "POST /router?method=taobao.qimen.deliveryorder.create HTTP/1.1\nContent-Type: text/xml;charset=utf-8\nContent-Length: {}\n\n{body}",
        body.len()
    );
    let done = qmwire::redact(request.as_bytes(), &with("custom"), &redactor).unwrap();
    assert!(!String::from_utf8_lossy(&done.output).contains(id));
}

fn cli(args: &[&str]) -> std::process::Output {
    crate::files::qmwire_command()
        .args(args)
        .current_dir(repo())
        .env("QMWIRE_TEST_SECRET", "helloworld")
        .env_remove("JX_OWNER_ID")
        .env_remove("JX_WAREHOUSE_ID")
        .output()
        .unwrap()
}

#[test]
fn the_command_line_takes_profiles_everywhere() {
    // lint: a built-in with its variables, a file, a broken profile (exit 2, nothing linted).
    let out = cli(&[
        "lint",
        "--profile",
        "jxwms",
        "--var",
        "owner_id=404781084",
        "--var",
        "warehouse_id=1038",
        "tests/fixtures/profiles/jxwms/deliveryorder_ok.http",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = cli(&[
        "lint",
        "--profile",
        "jxwms",
        "tests/fixtures/profiles/jxwms/singleitem_ok.xml",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no value for variable `owner_id`"),
        "{stderr}"
    );
    let broken = std::env::temp_dir().join(format!("qmwire-broken-{}.toml", std::process::id()));
    std::fs::write(
        &broken,
        "schema = 1\n[profile]\nid = \"b\"\n[rules]\n\"unknown-feild\" = \"off\"\n",
    )
    .unwrap();
    let out = cli(&["lint", "--profile", broken.to_str().unwrap(), "examples/"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":5:1:") && stderr.contains("did you mean `unknown-field`?"),
        "{stderr}"
    );
    let out = cli(&["profile", "check", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_file(&broken).unwrap();
    // profile list / show / check.
    let out = cli(&["profile", "list"]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("jxwms") && list.contains("yptc"), "{list}");
    let out = cli(&["profile", "show", "--resolved", "yptc"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("customer-id = { param = \"customerid\" }")
    );
    let out = cli(&[
        "profile",
        "check",
        "tests/fixtures/profiles/custom/profile.toml",
    ]);
    assert_eq!(out.status.code(), Some(0));
    // schema: the counterparty's contract.
    let out = cli(&["schema", "--profile", "jxwms", "singleitem.synchronize"]);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["x-qmwire-profile"], "jxwms");
    // redact: the personal field the profile adds.
    let out = cli(&[
        "redact",
        "--profile",
        "tests/fixtures/profiles/custom/profile.toml",
        "tests/fixtures/profiles/custom/deliveryorder_ok.xml",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("110101199001011234"));
    // verify: yptc takes md5 only.
    let query = "method=taobao.qimen.deliveryorder.create&app_key=1&sign_method=hmac&timestamp=2024-05-01+10%3A00%3A00&v=3.0&sign=00000000000000000000000000000000";
    let out = cli(&[
        "verify",
        "qimen",
        "--profile",
        "yptc",
        "--query",
        query,
        "--secret-env",
        "QMWIRE_TEST_SECRET",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("takes sign method `md5` only"));
}
