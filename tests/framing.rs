//! HTTP framing: `Content-Length` malformed, conflicting, shorter or longer than the body;
//! `Transfer-Encoding` refused with a reason; `###` separating requests only where `.http`
//! files put it (tests/fixtures/http/err_framing.http and cdata_separator.http).

use qmwire::redact::{Policy, Redactor};
use qmwire::render::{self, FileReport};
use qmwire::wire::http::{parse, split_requests};
use qmwire::Options;

const NOW: &str = "2024-05-01 10:02:00";

fn options() -> Options {
    let now = qmwire::wire::timestamp::parse_qimen(NOW).unwrap();
    Options::new().with_secret(*b"helloworld").with_now(now)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(crate::files::repo().join("tests/fixtures/http").join(name)).unwrap()
}

/// The human and JSON output for `input`.
fn outputs(input: &[u8], options: &Options) -> (String, String) {
    let report = qmwire::lint(input, options);
    let text = String::from_utf8_lossy(input);
    let file = [FileReport {
        path: "f.http",
        input: &text,
        report: &report,
    }];
    (
        render::human::render(&file),
        render::json::render(&file).to_string(),
    )
}

#[test]
fn each_framing_problem_is_one_finding_at_its_header_and_nothing_beyond_the_body_shows() {
    let input = fixture("err_framing.http");
    let report = qmwire::lint(&input, &options());
    let found: Vec<(&str, &str)> = report
        .issues
        .iter()
        .map(|i| (i.rule, &input[i.span.range()]))
        .map(|(r, s)| (r, std::str::from_utf8(s).unwrap()))
        .collect();
    // Each request is signed over the body as qmwire takes it, so the framing is all there is.
    assert_eq!(
        found,
        [
            ("request.framing", "abc"),
            ("request.framing", "263"),
            ("request.framing", "262"),
            ("request.framing", "363"),
            ("request.framing", "chunked"),
        ]
    );
    let (human, json) = outputs(&input, &options());
    for secret in ["欧阳娜娜", "13800000001"] {
        assert!(
            !human.contains(secret) && !json.contains(secret),
            "{secret}"
        );
    }
    insta::assert_snapshot!("err_framing_human", human);
}

/// A request with `headers` and `body`, linted alone: the framing findings' messages.
fn framing(headers: &str, body: &str) -> Vec<String> {
    let raw = format!(
        "POST /router/qimen/service?method=taobao.qimen.order.cancel HTTP/1.1\n{headers}\n{body}"
    );
    qmwire::lint(raw.as_bytes(), &Options::new())
        .issues
        .into_iter()
        .filter(|i| i.rule == "request.framing")
        .map(|i| i.message)
        .collect()
}

#[test]
fn malformed_and_conflicting_lengths_keep_the_whole_body() {
    // The issue's cases; the parser's own tests (wire::framing) have more.
    for bad in ["abc", "-5", "+5", "99999999999999999999999"] {
        let found = framing(&format!("Content-Length: {bad}\n"), "<request/>");
        assert_eq!(found.len(), 1, "{bad}: {found:?}");
        assert!(found[0].contains("digits only"), "{bad}: {}", found[0]);
        let raw = format!("POST /p HTTP/1.1\nContent-Length: {bad}\n\n<request/>");
        assert_eq!(parse(raw.as_bytes()).unwrap().body, b"<request/>", "{bad}");
    }
    assert!(framing("Content-Length: 99999999999999999999999\n", "")[0].contains("too large"));
    let found = framing("Content-Length: 10\ncontent-length: 3\n", "<request/>");
    assert!(found[0].contains("disagree"), "{found:?}");
    // Equal values, in two headers or as a list, are one length (RFC 9110 §8.6).
    assert!(framing("Content-Length: 10\nContent-Length: 10, 10\n", "<request/>").is_empty());
    // Line ends after a declared body are how `.http` files end it: not a finding.
    assert!(framing("Content-Length: 10\n", "<request/>\r\n\n").is_empty());
    assert!(framing("Content-Length: 10\n", "<request/>").is_empty());
}

#[test]
fn a_transfer_coding_is_refused_with_a_reason_and_the_body_is_not_linted() {
    let chunked = "5\r\n<requ\r\n0\r\n\r\n";
    for headers in [
        "Transfer-Encoding: chunked\n",
        "Transfer-Encoding: gzip, chunked\nContent-Length: 3\n",
    ] {
        let raw = format!("POST /router/qimen/service?method=taobao.qimen.order.cancel HTTP/1.1\n{headers}\n{chunked}");
        let report = qmwire::lint(raw.as_bytes(), &options());
        assert_eq!(report.issues.len(), 1, "{:?}", report.issues);
        assert_eq!(report.issues[0].path, "Transfer-Encoding");
        assert!(report.issues[0].message.contains("not linted"));
    }
    let malformed = "POST /p HTTP/1.1\nTransfer-Encoding: chunked\n\nzz\r\n\u{1b}]0;x\u{7}";
    let (human, json) = outputs(malformed.as_bytes(), &options());
    assert!(!human.contains('\u{1b}') && !json.contains('\u{1b}'));
}

#[test]
fn redaction_refuses_a_request_framed_ambiguously() {
    let redactor = Redactor::new(Policy::Mask, None).unwrap();
    let input = fixture("err_framing.http");
    let error = qmwire::redact(&input, &Options::new(), &redactor).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("malformed `Content-Length`"), "{text}");
    // Alone, each problem request is refused; the message quotes nothing from the input.
    for range in split_requests(&input) {
        let error = qmwire::redact(&input[range], &Options::new(), &redactor).unwrap_err();
        assert!(!error.to_string().contains("欧阳娜娜"), "{error}");
    }
}

#[test]
fn triple_hash_separates_requests_only_where_http_files_put_it() {
    // A declared body keeps its `### ` line (in CDATA here); the file still splits after it.
    let input = fixture("cdata_separator.http");
    let ranges = split_requests(&input);
    assert_eq!(ranges.len(), 2);
    let line = "\n### 加急".as_bytes();
    assert!(input[ranges[0].clone()]
        .windows(line.len())
        .any(|w| w == line));
    let report = qmwire::lint(&input, &options());
    assert!(report.issues.is_empty(), "{:?}", report.issues);
    let redactor = Redactor::new(Policy::Mask, None).unwrap();
    qmwire::redact(&input, &Options::new(), &redactor).unwrap();

    // Without a length, a line that is `###` or `### title` separates; `###x`, `####` and
    // ` ###` do not.
    let head = "POST /p HTTP/1.1\n\n<a>\n";
    for (between, parts) in [
        ("### next\n", 2),
        ("###\n", 2),
        ("###\t\n", 2),
        ("###x\n", 1),
        ("####\n", 1),
        (" ###\n", 1),
    ] {
        let file = format!("{head}{between}{head}");
        assert_eq!(split_requests(file.as_bytes()).len(), parts, "{between:?}");
    }
    // A length the request does not end with (junk after it, or more than there is) is not
    // trusted to find the next request.
    for length in ["4", "400"] {
        let file = format!("POST /p HTTP/1.1\nContent-Length: {length}\n\n<a/>x\n### two\n{head}");
        assert_eq!(split_requests(file.as_bytes()).len(), 2, "{length}");
    }
    let exact = format!("POST /p HTTP/1.1\nContent-Length: 14\n\n<a>\n### b\n</a>\n\n###\n{head}");
    let ranges = split_requests(exact.as_bytes());
    assert_eq!(ranges.len(), 2);
    assert!(exact[ranges[0].clone()].ends_with("</a>\n\n"));
}

#[test]
fn splitting_is_linear() {
    // 200,000 tiny requests, each with a declared length, split in one pass.
    let one = "### r\nPOST /p HTTP/1.1\nContent-Length: 4\n\n<a/>\n";
    let file = one.repeat(200_000);
    let started = std::time::Instant::now();
    assert_eq!(split_requests(file.as_bytes()).len(), 200_000);
    assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
}
