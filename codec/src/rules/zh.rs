//! The catalogue's rule summaries in Chinese, keyed by rule id. Kept apart from the catalogue
//! so a rule can be declared before its Chinese text is written; `tests/lang.rs` fails while
//! any rule lacks one.

/// The Chinese summary of rule `id`, if written.
pub(super) fn summary(id: &str) -> Option<&'static str> {
    SUMMARIES.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}

/// `Qimen method` / `wdt API` / `金蝶 WebAPI operation` (the kinds of name
/// [`super::unknown_method`] is given) in Chinese.
pub(super) fn what(what: &str) -> &'static str {
    if what.starts_with("wdt") {
        "旺店通接口"
    } else if what.starts_with("金蝶") {
        "金蝶 WebAPI 操作"
    } else {
        "奇门方法"
    }
}

static SUMMARIES: &[(&str, &str)] = &[
    ("xml-syntax", "报文无法解析：XML 格式错误、不是 UTF-8 编码、含 DTD 或未定义的实体，或超出大小、层级、列表长度上限"),
    ("root-element", "根元素不是 <request>、<response>、<error_response> 之一，或与指定的方法不符"),
    ("method", "无法从报文结构判断是哪个方法（有多个同样吻合），请用 --method 指定"),
    ("required", "必填字段缺失或为空"),
    ("max-length", "文本超过允许的长度（按字符数计，不按字节）"),
    ("enum", "取值不在封闭代码表内（区分大小写）"),
    ("datetime", "日期时间不是有效的 `yyyy-MM-dd HH:mm:ss`"),
    ("date", "日期不是有效的 `yyyy-MM-dd`"),
    ("time", "时刻不是有效的 `HH:mm:ss`"),
    ("integer", "数量或计数不是整数，或小于下限"),
    ("decimal", "金额不是普通小数写法，或小数位超出允许（金额为 2 位）；旺店通金额公式中，乘积或部分和超出 decimal(19,4)"),
    ("flag", "是/否字段的值不是 `Y` 或 `N`"),
    ("any-of", "契约（或对接方配置的 any-of 组）要求几个字段至少填一个（如旺店通的 `shop_no` 或 `shop_id`），但都没有值"),
    ("min-items", "列表的条目少于要求（如订单没有明细行）"),
    ("element-content", "值的形态不对：XML 标量字段里出现子元素；JSON 中该是标量的地方是对象或数组，或反之"),
    ("duplicate-element", "只能出现一次的字段重复出现；各接收方取哪一个并不一致"),
    ("encoding", "XML 声明的编码不是 UTF-8，而内容实际是 UTF-8；信任声明的接收方会把中文读成乱码"),
    ("unknown-field", "契约未定义的元素（或多余文本）；会保留，但严格的接收方可能拒收或忽略"),
    ("json-syntax", "旺店通：JSON（或表单里的 JSON 参数）无法解析：格式错误、不是 UTF-8、百分号转义有误，或超出大小、层级、列表长度上限"),
    ("wdt.paid", "旺店通 trade_push：款到发货且已付款（delivery_term 1、pay_status 2）时，`paid` 必须正好等于 Σ(price×num + adjust_amount − discount − share_discount) + post_amount + other_amount"),
    ("wdt.cod-amount", "旺店通 trade_push：货到付款（delivery_term 2）时，`cod_amount` 必须正好等于 Σ(price×num + adjust_amount − discount − share_discount) + post_amount + ext_cod_fee − paid"),
    ("wdt.duplicate-tid", "旺店通 trade_push：同一请求中 `tid` 重复"),
    ("wdt.duplicate-oid", "旺店通 trade_push：同一请求中 `oid` 重复（同一订单内或跨订单）"),
    ("wdt.buyer-nick-limit", "旺店通 trade_push：一次推送中同一 `buyer_nick` 的订单超过 30 个"),
    ("wdt.batch-size", "旺店通：一次请求超过 50 个订单（trade_push）或 10 个退款单（sales_refund_push），请分批"),
    ("wdt.goods-or-spec-no", "旺店通 trade_push：订单明细既没有 `goods_no` 也没有 `spec_no`"),
    ("wdt.time-window", "旺店通查询：`end_time` 早于 `start_time`，或时间段超过 30 天"),
    ("kingdee.envelope-key", "金蝶 Save/BatchSave：请求体或其 `data` 数据包里有文档没有列出的键，多半是参数名拼错了（如 `IsVerifyBaseDatafield`）；服务器多半会直接忽略它，这项设置就悄无声息地不生效。消息会给出最接近的文档键名"),
    ("kingdee.batch-count", "金蝶 BatchSave：`BatchCount`（服务器线程数）不小于 `Model` 里的单据数，设了也不起作用"),
    ("kingdee.model-shape", "金蝶：Save 请求的 `data.Model` 写成了数组，或 BatchSave 请求的写成了单个对象"),
    ("kingdee.sub-head-entity", "金蝶销售退货单：财务信息 `SubHeadEntity` 放在了 `FEntity` 明细下（iPaaS 的字段树是这样显示的），而它应直接放在 `Model` 下，属于单据头"),
    ("kingdee.request-parameter", "金蝶销售退货单：请求级参数（`FormId`、`Operation`，或 `IsAutoSubmitAndAudit` 这类 `data` 键）写进了单据里，服务器在那里不会读取"),
    ("kingdee.base-data-object", "金蝶销售退货单：基础资料字段写成了裸字符串或数字；引用基础资料要用对象，如 `{\"FNumber\": \"…\"}`"),
    ("kingdee.date", "金蝶销售退货单：日期 `FDate` 不是有效的 `yyyy-MM-dd` 或 `yyyy-MM-dd HH:mm:ss`"),
    ("kingdee.decimal", "金蝶销售退货单：数量、单价、税率或汇率不是普通小数写法（带指数、`+` 号、分隔符），或小数位多达 15 位以上，那是二进制浮点数留下的痕迹，不是精确的数额"),
    ("kingdee.quantity", "金蝶销售退货单：实退数量 `FRealQty` 不大于 0"),
    ("kingdee.system-code", "金蝶销售退货单：编码与预置编码（`XSTHD01_SYS`、`THLX01_SYS`、`PRE001`、`HLTX01_SYS`、`BD_OwnerOrg`、`OverOrgSal`）只差大小写，或以 `_SYS` 结尾、像是预置编码，却不是 qmwire 所知的该字段的预置编码"),
    ("kingdee.duplicate-bill-no", "金蝶 BatchSave：同一数据包里两张单据的单据编号 `FBillNo` 相同（重试时正是靠单据编号避免同一张单据保存两次）"),
    ("kingdee.reply-error", "金蝶 Save/BatchSave 返回结果：逐条解释 `Errors` 里的错误：按 `DIndex` 找到是哪张单据，按 `FieldName` 找到单据里的字段路径，附上服务器原文和 `MsgCode` 的含义；保存失败却没有列出任何错误时也会报告"),
    ("qimen.total-amount", "奇门 deliveryorder.create 及 deliveryorder.batchcreate 的每个订单：`totalAmount` 必须正好等于 itemAmount − discountAmount + freight；四项都有且两边不全为零时才检查"),
    ("qimen.ar-got-amount", "奇门 deliveryorder.create 及 deliveryorder.batchcreate 的每个订单：`totalAmount` 必须正好等于 arAmount + gotAmount（应收加已收）；三项都有且两边不全为零时才检查"),
    ("qimen.invoice-flag", "奇门 deliveryorder.create 及 deliveryorder.batchcreate 的每个订单：`invoiceFlag` 为 Y，但 `invoices` 里没有发票"),
    ("qimen.invoice-fields", "奇门 deliveryorder.create 及 deliveryorder.batchcreate 的每个订单：`invoiceFlag` 为 Y，而某张发票缺少 `type`、`header` 或 `amount`（需要开票时这三项必填）"),
    ("qimen.invoice-unflagged", "奇门 deliveryorder.create 及 deliveryorder.batchcreate 的每个订单：`invoices` 里有发票，但 `invoiceFlag` 为 N 或未填（默认 N），接收方可能忽略这些发票"),
    ("qimen.insurance-flag", "奇门 deliveryorder.create 及 deliveryorder.batchcreate 的每个订单：`insuranceFlag` 为 Y，却没有说明保价内容的 `insurance` 块"),
    ("qimen.insurance-unflagged", "奇门 deliveryorder.create 及 deliveryorder.batchcreate 的每个订单：给了 `insurance` 块，但 `insuranceFlag` 为 N 或未填（默认 N），接收方可能忽略"),
    ("qimen.out-biz-code", "奇门 deliveryorder.confirm 及 deliveryorder.batchconfirm 的每个确认：中间确认（`confirmType` 为 1，后面还有）缺少 `outBizCode`，而多次确认正是靠它区分"),
    ("qimen.batch-qty", "奇门确认单和库存异动回传：某行的数量（`actualQty`，stockchange.report 中为 `quantity`）与其 `batchs` 之和不等"),
    ("privacy.plaintext", "个人信息（姓名、电话、地址、证件号、邮箱、昵称、车牌）以明文传输，既没有用 `*` 打码，也不是 `qmwire redact` 的令牌。默认只对收件人信息带 `oaid` 的 deliveryorder.create 报告（此时收件人数据应留在平台加密）；`qmwire lint --privacy warn|forbid` 会把所有明文个人信息报为警告或错误"),
    ("request.syntax", "整请求检查：输入不是 HTTP 请求（请求行、`名称: 值` 头、空行、正文），或查询串格式错误"),
    ("request.framing", "整请求检查：接收方可能与 qmwire 认定的正文不同：Content-Length 格式错误或互相矛盾、正文比声明的短或长，或带 Transfer-Encoding（不解码：此时不检查正文，也不验签）"),
    ("param.missing", "整请求检查：缺少系统参数：奇门的 method、app_key、timestamp、v，WMS 方法还要 customerId（错误）；sign_method、format，以及大小写写错的 customerId（警告）；旺店通 openapi2 的 sid、appkey、timestamp；经奇门自定义接口调用旺店通时还要 target_app_key 和 sid"),
    ("timestamp.format", "整请求检查：奇门的 `timestamp` 参数不是有效的 `yyyy-MM-dd HH:mm:ss`（北京时间），旺店通 openapi2 的不是 Unix 秒数"),
    ("timestamp.window", "整请求检查（带 --now）：`timestamp` 与当前时间相差超过允许范围（奇门 ±10 分钟，旺店通 openapi2 ±5 分钟）；相差约 ±8 小时会提示时区错误"),
    ("charset.mismatch", "整请求检查：Content-Type 的 charset 与 XML 声明的编码不一致；旺店通的 Content-Type 不是 UTF-8 的 `application/x-www-form-urlencoded`（头里没写 charset 时为警告）"),
    ("sign.missing", "整请求检查：请求没有 `sign` 参数"),
    ("profile.equals", "取值与对接方配置规定的不同（字面值或按商家设置的变量 `--var`）：货主编码、仓库编码、customerId 等"),
    ("profile.recommended", "取值与对接方配置推荐的（其文档中的默认值）不同"),
    ("profile.param", "整请求检查：系统参数或请求头与对接方配置记载的不同：方法名写法、`v`、`format`、`sign_method`、Content-Type"),
    ("profile.method", "对接方配置列出了对方支持的方法，而本报文的方法不在其中"),
    ("sign.mismatch", "整请求检查（提供了密钥）：`sign` 验证不通过；消息会指出能复现该签名的常见错误"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_method_name_in_chinese() {
        assert_eq!(what("Qimen method"), "奇门方法");
        assert_eq!(what("wdt API"), "旺店通接口");
        assert_eq!(what("金蝶 WebAPI operation"), "金蝶 WebAPI 操作");
    }
}
