//! Personal-data classes, as the specs declare them, and the form diagnostics print instead of a
//! personal value.

/// The class of personal data a field carries. Values of classified fields never appear in
/// messages, reports, logs or snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Privacy {
    /// A person's name.
    Name,
    /// A mobile or landline number.
    Phone,
    /// A street address.
    Address,
    /// An identity document number.
    IdNumber,
    /// An e-mail address.
    Email,
    /// A payment account.
    Account,
    /// A marketplace nickname.
    Nick,
    /// A vehicle registration plate (`京A12345`).
    Plate,
}

impl Privacy {
    /// Every class.
    pub const ALL: [Privacy; 8] = [
        Privacy::Name,
        Privacy::Phone,
        Privacy::Address,
        Privacy::IdNumber,
        Privacy::Email,
        Privacy::Account,
        Privacy::Nick,
        Privacy::Plate,
    ];

    /// The class with spec name `name` (`name`, `phone`, `id-number`, …).
    pub fn from_name(name: &str) -> Option<Privacy> {
        Privacy::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The class name used in specs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Privacy::Name => "name",
            Privacy::Phone => "phone",
            Privacy::Address => "address",
            Privacy::IdNumber => "id-number",
            Privacy::Email => "email",
            Privacy::Account => "account",
            Privacy::Nick => "nick",
            Privacy::Plate => "plate",
        }
    }
}

impl Privacy {
    /// The class's name in Chinese (`姓名`, `电话`).
    pub fn zh(self) -> &'static str {
        match self {
            Privacy::Name => "姓名",
            Privacy::Phone => "电话",
            Privacy::Address => "地址",
            Privacy::IdNumber => "证件号",
            Privacy::Email => "邮箱",
            Privacy::Account => "账号",
            Privacy::Nick => "昵称",
            Privacy::Plate => "车牌",
        }
    }
}

/// [`hidden`] in Chinese: `<姓名已隐去，2 个字符>`.
pub fn hidden_zh(class: Privacy, value: &str) -> String {
    format!("<{}已隐去，{} 个字符>", class.zh(), value.chars().count())
}

/// What a diagnostic prints in place of a personal value: its class and length only.
pub fn hidden(class: Privacy, value: &str) -> String {
    format!(
        "<{} withheld, {} chars>",
        class.as_str(),
        value.chars().count()
    )
}
