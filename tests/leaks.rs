//! Nothing personal is printed, even where the model does not hold it: a repeated personal
//! element or JSON key, a misspelled one, an element outside the contract, stray text and free
//! key/value pairs, in any block, are hidden on quoted source lines like the classified values
//! are; the
//! JSON, SARIF and JUnit reports, which quote no line, hold none of them either; in English
//! and in Chinese.

use qmwire::render::{self, FileReport};
use qmwire::{Lang, Options};

/// The human report of `input`, in English and in Chinese.
fn human(input: &str) -> String {
    let report = qmwire::lint(input.as_bytes(), &Options::new());
    let files = [FileReport {
        path: "f",
        input,
        report: &report,
    }];
    [Lang::En, Lang::Zh]
        .map(|lang| render::human::render_in(&files, lang))
        .join("\n")
}

/// The JSON, SARIF and JUnit reports of `input`, in English and in Chinese, one after the
/// other.
fn machine(input: &str) -> String {
    let report = qmwire::lint(input.as_bytes(), &Options::new());
    let files = [FileReport {
        path: "f",
        input,
        report: &report,
    }];
    [Lang::En, Lang::Zh]
        .map(|lang| {
            format!(
                "{}\n{}\n{}",
                render::json::render_in(&files, lang),
                render::sarif::render_in(&files, true, lang),
                render::junit::render_in(&files, lang)
            )
        })
        .join("\n")
}

const SECRETS: [&str; 6] = [
    "李四",
    "欧阳娜娜",
    "王小明",
    "赵六",
    "13800000001",
    "文三路",
];

#[test]
fn repeated_and_misspelled_personal_elements_are_hidden() {
    let xml = "<request><deliveryOrder><deliveryOrderCode>D</deliveryOrderCode><orderType>JYCK</orderType><warehouseCode>W</warehouseCode><createTime>2025-01-01 00:00:00</createTime><placeOrderTime>2025-01-01 00:00:00</placeOrderTime><operateTime>2025-01-01 00:00:00</operateTime><shopNick>s</shopNick><logisticsCode>SF</logisticsCode><receiverInfo><name>李四</name><name>欧阳娜娜</name><nmae>王小明</nmae><mobile>13800000001</mobile><province>浙江</province><city>杭州</city><detailAddress>文三路</detailAddress><extendProps><alt>赵六</alt></extendProps>stray 赵六</receiverInfo><receiverInfo><name>赵六</name></receiverInfo></deliveryOrder><orderLines><orderLine><ownerCode>O</ownerCode><itemCode>I</itemCode><planQty>1</planQty><actualPrice>1</actualPrice></orderLine></orderLines></request>";
    // Each issue quotes the one line around its own position: together they cover it all.
    let out = human(xml);
    assert!(
        out.contains("duplicate-element") && out.contains("unknown-field"),
        "{out}"
    );
    let machine = machine(xml);
    for secret in SECRETS {
        assert!(!out.contains(secret), "{secret} leaked:\n{out}");
        assert!(!machine.contains(secret), "{secret} leaked:\n{machine}");
    }
}

#[test]
fn values_outside_the_contract_are_hidden_in_any_block() {
    // An order line holds no personal field, yet a sender may put a phone or a name there
    // under a name of its own, or in its free key/value map.
    let xml = "<request><deliveryOrder><deliveryOrderCode>D</deliveryOrderCode><orderType>JYCK</orderType><warehouseCode>W</warehouseCode><createTime>2025-01-01 00:00:00</createTime><placeOrderTime>2025-01-01 00:00:00</placeOrderTime><operateTime>2025-01-01 00:00:00</operateTime><shopNick>s</shopNick><logisticsCode>SF</logisticsCode><receiverInfo><name>N</name><mobile>1</mobile><province>P</province><city>C</city><detailAddress>A</detailAddress></receiverInfo></deliveryOrder><orderLines><orderLine><ownerCode>O</ownerCode><itemCode>I</itemCode><planQty>1</planQty><actualPrice>1</actualPrice><contactMobile>13800000001</contactMobile><extendProps><buyer>欧阳娜娜</buyer></extendProps></orderLine></orderLines></request>";
    let out = human(xml);
    assert!(out.contains("unknown-field"), "{out}");
    let machine = machine(xml);
    for secret in SECRETS {
        assert!(!out.contains(secret), "{secret} leaked:\n{out}");
        assert!(!machine.contains(secret), "{secret} leaked:\n{machine}");
    }
}

#[test]
fn repeated_json_keys_are_hidden() {
    let json = r#"[{"tid":"T1","trade_status":30,"pay_status":2,"delivery_term":1,"trade_time":"2024-05-01 10:00:00","receiver_name":"李四","receiver_name":"欧阳娜娜","receiver_mobile":"13800000001","receiver_addres":"文三路","post_amount":0,"paid":"1","order_list":[{"oid":"O1","num":1,"price":1,"status":30,"refund_status":0,"goods_id":"G1","spec_no":"S1","adjust_amount":0,"discount":0,"share_discount":0}]}]"#;
    let out = human(json);
    assert!(out.contains("duplicate-element"), "{out}");
    let machine = machine(json);
    for secret in SECRETS {
        assert!(!out.contains(secret), "{secret} leaked:\n{out}");
        assert!(!machine.contains(secret), "{secret} leaked:\n{machine}");
    }
}
