//! Every option reaches every input shape: the same body given on its own, inside a request,
//! as the second request of a `.http` file, and with `--url` gives the same body issues at the
//! same places (in each input's own coordinates), under every privacy level and limit; and it
//! redacts to the same bytes.

use qmwire::{Issue, Limits, Options, PrivacyCheck, Redactor, Report, Shape};

const QIMEN_BODY: &str = include_str!("../examples/qimen/deliveryorder.create.xml");
const QIMEN_QUERY: &str = "/router/qimen/service?method=taobao.qimen.deliveryorder.create&app_key=12345678&customerId=c1001&format=xml&sign_method=md5&timestamp=2025-03-15+10%3A00%3A00&v=2.0&sign=7A0D3ECB07355B572D62094605197C66";
const WDT_JSON: &str = include_str!("../examples/wdt/trade_push.json");

/// Rules about the request around a body, not the body itself.
fn request_level(rule: &str) -> bool {
    ["request.", "param.", "timestamp.", "charset.", "sign."]
        .iter()
        .any(|p| rule.starts_with(p))
}

/// The issues of the body at `body_at` as (rule, severity, path, message, span moved to the
/// body's coordinates).
fn body_issues(report: &Report, body_at: usize) -> Vec<(String, String, String, String, usize)> {
    report
        .issues
        .iter()
        .filter(|i| !request_level(i.rule) && i.span.start as usize >= body_at)
        .map(|i: &Issue| {
            (
                i.rule.to_string(),
                i.severity.to_string(),
                i.path.clone(),
                i.message.clone(),
                i.span.start as usize - body_at,
            )
        })
        .collect()
}

fn request(target: &str, content_type: &str, body: &str) -> String {
    format!("POST {target} HTTP/1.1\nHost: example.invalid\nContent-Type: {content_type}\n\n{body}")
}

fn privacy_levels() -> [PrivacyCheck; 3] {
    [PrivacyCheck::Oaid, PrivacyCheck::Warn, PrivacyCheck::Forbid]
}

fn limit_sets() -> [Limits; 3] {
    [
        Limits::default(),
        // Too shallow for the body: every shape must fail the same way.
        Limits {
            max_depth: 2,
            ..Limits::default()
        },
        // Too few list items for the order lines.
        Limits {
            max_list_items: 1,
            max_items: 100_000,
            ..Limits::default()
        },
    ]
}

#[test]
fn qimen_body_issues_are_the_same_in_every_shape() {
    let body = QIMEN_BODY;
    let alone = body.as_bytes().to_vec();
    let one = request(QIMEN_QUERY, "text/xml;charset=utf-8", body);
    let other = request(QIMEN_QUERY, "text/xml;charset=utf-8", "<request/>\n");
    // The second request of a file; the first one's issues all lie before it.
    let file = format!("### first\n{other}###\n{one}");
    let one_at = one.len() - body.len();
    let file_at = file.len() - body.len();
    let mut forbid_errors = 0;
    for privacy in privacy_levels() {
        for limits in limit_sets() {
            let options = Options::new().with_privacy(privacy).with_limits(limits);
            let expected = body_issues(&qmwire::lint(&alone, &options), 0);
            let shapes = [
                ("request", qmwire::lint(one.as_bytes(), &options), one_at),
                (
                    "http file",
                    qmwire::lint(file.as_bytes(), &options),
                    file_at,
                ),
                (
                    "--url",
                    qmwire::lint(&alone, &options.clone().with_url(QIMEN_QUERY)),
                    0,
                ),
                (
                    "method given",
                    qmwire::lint(&alone, &options.clone().with_method("deliveryorder.create")),
                    0,
                ),
            ];
            for (shape, report, at) in &shapes {
                assert_eq!(
                    &body_issues(report, *at),
                    &expected,
                    "{shape}, {privacy:?}, {limits:?}"
                );
            }
            if privacy == PrivacyCheck::Forbid && limits == Limits::default() {
                forbid_errors = expected
                    .iter()
                    .filter(|i| i.0 == "privacy.plaintext" && i.1 == "error")
                    .count();
            }
            if limits != Limits::default() {
                assert!(
                    expected.iter().any(|i| i.0 == "xml-syntax"),
                    "{limits:?} must stop decoding: {expected:?}"
                );
            }
        }
    }
    // The example's receiver values are plain text: `forbid` makes each an error, everywhere.
    assert!(forbid_errors >= 5, "{forbid_errors}");
}

#[test]
fn wdt_body_issues_are_the_same_in_every_shape() {
    // A business JSON with a money mistake and plain personal values.
    let json = WDT_JSON.replacen("\"paid\"", "\"paid_x\":1,\"paid\"", 1);
    // The same business parameters as a form body: each value as text, JSON ones as JSON.
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&json).expect("the example is an object");
    let form = object
        .iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{k}={}", qmwire::wire::params::encode_component(&text))
        })
        .collect::<Vec<_>>()
        .join("&");
    let target = "/openapi2/trade_push.php?sid=wdtapi3&appkey=wdtapi3-test&timestamp=1742004060&sign=5d41402abc4b2a76b9719d911017c592";
    let one = request(
        target,
        "application/x-www-form-urlencoded; charset=utf-8",
        &form,
    );
    let key = |r: &Report| -> Vec<(String, String, String)> {
        r.issues
            .iter()
            .filter(|i| !request_level(i.rule))
            .map(|i| (i.rule.to_string(), i.severity.to_string(), i.path.clone()))
            .collect()
    };
    for privacy in privacy_levels() {
        for limits in [
            Limits::default(),
            Limits {
                max_depth: 2,
                ..Limits::default()
            },
        ] {
            let options = Options::new().with_privacy(privacy).with_limits(limits);
            let from_json = qmwire::lint(json.as_bytes(), &options);
            let mut expected = key(&from_json);
            let from_form = qmwire::lint(form.as_bytes(), &options);
            let from_request = qmwire::lint(one.as_bytes(), &options);
            let mut got_form = key(&from_form);
            let mut got_request = key(&from_request);
            for v in [&mut expected, &mut got_form, &mut got_request] {
                v.sort();
            }
            assert_eq!(got_form, expected, "form, {privacy:?}, {limits:?}");
            assert_eq!(got_request, expected, "request, {privacy:?}, {limits:?}");
            let plain = expected
                .iter()
                .filter(|i| i.0 == "privacy.plaintext")
                .count();
            match (privacy, limits == Limits::default()) {
                (PrivacyCheck::Oaid, _) | (_, false) => assert_eq!(plain, 0, "{expected:?}"),
                _ => assert!(plain >= 3, "{privacy:?}: {expected:?}"),
            }
        }
    }
}

#[test]
fn redaction_takes_the_same_options_in_every_shape() {
    let body = QIMEN_BODY;
    let one = request(QIMEN_QUERY, "text/xml;charset=utf-8", body);
    let r = Redactor::mask();
    let options = Options::new();
    let alone = qmwire::redact(body.as_bytes(), &options, &r).expect("redacts");
    let whole = qmwire::redact(one.as_bytes(), &options, &r).expect("redacts");
    assert!(alone.values >= 5);
    assert_eq!(alone.values, whole.values);
    assert!(whole.output.ends_with(&alone.output));
    // Limits reach redaction too, in every shape.
    let tight = options.with_limits(Limits {
        max_depth: 2,
        ..Limits::default()
    });
    assert!(qmwire::redact(body.as_bytes(), &tight, &r).is_err());
    assert!(qmwire::redact(one.as_bytes(), &tight, &r).is_err());
    let forced = tight.clone().with_shape(Shape::Http);
    assert!(qmwire::redact(one.as_bytes(), &forced, &r).is_err());
}
