//! Documents in the shapes real integrations write (tests/fixtures/realworld/, one line each in
//! tests/fixtures/README.md): JAXB and XStream output with empty elements and `standalone`,
//! every value in CDATA on one line, PHP string templates, C# and Java default date formats, a
//! vendor's failure reply, encrypted consignee data, a request with `customerid`. Each is linted
//! as a user would (no `--method`; requests with their query) and its findings are snapshotted,
//! so a change of verdict on any of them shows up in review.

use crate::files::under;
use qmwire::render::{self, FileReport};
use qmwire::{Options, Shape};

#[test]
fn realworld_documents_keep_their_findings() {
    let files = under("tests/fixtures/realworld", &["xml", "http", "json", "form"]);
    assert!(files.len() >= 8);
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut options = Options::new();
        options.shape = path
            .extension()
            .and_then(|e| Shape::from_extension(&e.to_string_lossy()))
            .filter(|s| *s != Shape::Xml);
        let report = qmwire::lint(&bytes, &options);
        let input = String::from_utf8_lossy(&bytes);
        let json = render::json::render(&[FileReport {
            path: &name,
            input: &input,
            report: &report,
        }]);
        for secret in [
            "张三",
            "李四",
            "王五",
            "13800000001",
            "13900000002",
            "文三路",
        ] {
            assert!(!json.to_string().contains(secret), "{name}: {secret}");
        }
        insta::assert_json_snapshot!(name.replace('.', "_"), json);
    }
}
