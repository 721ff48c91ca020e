//! Well-formedness as XML 1.0 has it, checked against a second parser (roxmltree): over every
//! fixture, example and fuzz regression, each also cut short and with single bytes changed,
//! qmwire never accepts a document roxmltree rejects, and every document qmwire rejects as
//! malformed (not for a limit, a DTD or its root) roxmltree rejects too.

use crate::files::under;
use qmwire::error::DecodeErrorKind;
use qmwire::Limits;

/// qmwire's verdict: `Ok`, or the kind of error.
fn ours(text: &str) -> Result<(), DecodeErrorKind> {
    qmwire::xml::decode::check_document(text, &Limits::default()).map_err(|e| e.kind())
}

fn theirs(text: &str) -> bool {
    roxmltree::Document::parse(text).is_ok()
}

/// Where roxmltree is laxer than XML 1.0 and qmwire follows the standard: roxmltree reads
/// `<?x<y?>`, `<?xmlversion="1.0"?>` and `<?XML data?>` as processing instructions (a target
/// is a name, then whitespace or `?>`, and never `xml` in any case), and takes any
/// `version` and `encoding` value in the declaration (`1.` and digits; a letter, then letters,
/// digits, `.`, `_`, `-`).
fn stricter_by_design(text: &str) -> bool {
    let message = qmwire::xml::decode::check_document(text, &Limits::default())
        .err()
        .map(|e| e.message().to_string())
        .unwrap_or_default();
    message.contains("processing instruction") || message.contains("expected an XML declaration")
}

fn compare(text: &str, what: &str, disagreements: &mut Vec<String>) {
    let (a, b) = (ours(text), theirs(text));
    match (a, b) {
        (Ok(()), false) => disagreements.push(format!("{what}: qmwire accepts, roxmltree rejects")),
        (Err(DecodeErrorKind::Syntax | DecodeErrorKind::Entity), true)
            if !stricter_by_design(text) =>
        {
            disagreements.push(format!(
                "{what}: qmwire rejects as malformed, roxmltree accepts"
            ))
        }
        _ => {}
    }
}

/// Documents that probe the prolog, names, attributes, comments and processing instructions.
const EDGES: &[&str] = &[
    r#"<!-- c --><?xml version="1.0"?><r/>"#,
    r#" <?xml version="1.0"?><r/>"#,
    r#"<?xmlversion="1.0"encoding="utf-8"?><r/>"#,
    r#"<?xml version="1.0"?><r><?xml version="1.0"?></r>"#,
    r#"<?xml encoding="utf-8"?><r/>"#,
    r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?><r/>"#,
    r#"<r a=b/>"#,
    r#"<r a="1" a="2"/>"#,
    r#"<r a="1" b='2'/>"#,
    r#"<r><1a>x</1a></r>"#,
    r#"<r><-a/></r>"#,
    r#"<r><a.b-c_d>x</a.b-c_d></r>"#,
    r#"<r><收货人>x</收货人></r>"#,
    r#"<r><!-- a -- b --></r>"#,
    r#"<r><!-- a - b --></r>"#,
    r#"<r><?pi data?></r>"#,
    r#"<r><?XML data?></r>"#,
    r#"<r><?xml-stylesheet href="a"?></r>"#,
    r#"<r>&amp;&lt;&#20013;&#x4e2d;</r>"#,
    r#"<r>&nbsp;</r>"#,
    r#"<r><![CDATA[<not>a tag]]></r>"#,
    r#"<r></R>"#,
    r#"<r>a</r>x"#,
    r#"<r/><r/>"#,
    r#"<r x="a<b"/>"#,
    r#"<r x="&unknown;"/>"#,
    r#"<r>a]]>b</r>"#,
    r#"<r><a>x]]>y</a></r>"#,
    r#"<r><a><![CDATA[x]]>]]></a></r>"#,
    r#"<r><a><![CDATA[x]]]]><![CDATA[>]]></a></r>"#,
];

#[test]
fn verdicts_agree_with_a_second_parser() {
    let mut disagreements = Vec::new();
    for (i, edge) in EDGES.iter().enumerate() {
        compare(edge, &format!("edge {i} `{edge}`"), &mut disagreements);
    }
    let regressions = std::fs::read_dir(crate::files::repo().join("fuzz/regressions/decode_xml"))
        .unwrap()
        .map(|e| e.unwrap().path());
    let files: Vec<_> = [
        under("tests/fixtures", &["xml"]),
        under("examples", &["xml"]),
    ]
    .concat()
    .into_iter()
    .chain(regressions)
    .collect();
    let mut compared = EDGES.len();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path.display().to_string();
        compare(&text, &name, &mut disagreements);
        // Cut short at about 40 points, and with one byte replaced at about 40 points.
        let step = (text.len() / 40).max(1);
        for at in (0..text.len())
            .step_by(step)
            .filter(|&i| text.is_char_boundary(i))
        {
            compare(
                &text[..at],
                &format!("{name} cut at {at}"),
                &mut disagreements,
            );
            for b in ["<", ">", "&", "\"", "=", " ", "a", "1", "/", "!", "?"] {
                let next = (at + 1..=text.len()).find(|&j| text.is_char_boundary(j));
                let Some(next) = next else { continue };
                let changed = format!("{}{b}{}", &text[..at], &text[next..]);
                compare(
                    &changed,
                    &format!("{name} with `{b}` at {at}"),
                    &mut disagreements,
                );
                compared += 1;
            }
            compared += 1;
        }
    }
    assert!(compared > 10_000, "{compared}");
    assert!(
        disagreements.is_empty(),
        "{} of {compared} disagree:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
