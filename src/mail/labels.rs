//! The words mail clients print in a forwarded message, per language: the
//! labels of the header block (From/Sent/To/Cc/Subject), the separator lines
//! ("Forwarded message", "Original Message", "Begin forwarded message:"),
//! Outlook's "On <date>, <sender> wrote:" line, and subject prefixes.
//!
//! This is the one place to add a language or a client's wording. The words
//! are facts gathered from public descriptions of the clients' output (for
//! example the test fixtures of open-source forward parsers).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One language's words. Labels are compared after [`fold`], so case and
/// a trailing `.` do not matter.
pub(crate) struct Language {
    pub code: &'static str,
    pub from: &'static [&'static str],
    pub date: &'static [&'static str],
    pub to: &'static [&'static str],
    pub cc: &'static [&'static str],
    pub subject: &'static [&'static str],
    /// Separator phrases that announce a forwarded message (the dashes and a
    /// trailing colon around them are not part of the phrase).
    pub forwarded: &'static [&'static str],
    /// Separator phrases for a quoted "original message" (Outlook).
    pub original: &'static [&'static str],
    /// Outlook's attribution line: the words it starts with ("" when the
    /// date or name comes first) and the word before its colon.
    pub wrote: &'static [(&'static str, &'static str)],
    /// Subject prefixes of forwards.
    pub fwd_prefixes: &'static [&'static str],
    /// Subject prefixes of replies.
    pub reply_prefixes: &'static [&'static str],
}

pub(crate) const LANGUAGES: &[Language] = &[
    Language {
        code: "en",
        from: &["from"],
        date: &["sent", "date", "sent at", "sent on"],
        to: &["to"],
        cc: &["cc", "bcc"],
        subject: &["subject"],
        forwarded: &[
            "forwarded message",
            "forwarded e-mail",
            "forwarded email",
            "begin forwarded message",
            "forwarded message follows",
        ],
        original: &["original message", "original e-mail"],
        wrote: &[("on", "wrote")],
        fwd_prefixes: &["fwd", "fw", "fwd?"],
        reply_prefixes: &["re", "rcpt"],
    },
    Language {
        code: "cs",
        from: &["od"],
        date: &["odesláno", "datum"],
        to: &["komu"],
        cc: &["kopie"],
        subject: &["předmět"],
        forwarded: &["přeposlaná zpráva", "začátek přeposílané zprávy"],
        original: &["původní zpráva"],
        wrote: &[("dne", "napsal(a)"), ("dne", "napsal")],
        fwd_prefixes: &["fw", "přeposlat", "př"],
        reply_prefixes: &["odp", "odpověď"],
    },
    Language {
        code: "da",
        from: &["fra"],
        date: &["sendt", "dato"],
        to: &["til"],
        cc: &["cc"],
        subject: &["emne"],
        forwarded: &["videresendt meddelelse", "start på videresendt besked"],
        original: &["oprindelig meddelelse"],
        wrote: &[("d.", "skrev"), ("den", "skrev")],
        fwd_prefixes: &["vs", "videresend"],
        reply_prefixes: &["sv"],
    },
    Language {
        code: "de",
        from: &["von", "absender"],
        date: &["gesendet", "datum", "gesendet am"],
        to: &["an", "empfänger"],
        cc: &["cc", "kopie", "kopie (cc)"],
        subject: &["betreff"],
        forwarded: &[
            "weitergeleitete nachricht",
            "anfang der weitergeleiteten nachricht",
            "weitergeleitete e-mail",
        ],
        original: &["ursprüngliche nachricht", "originalnachricht"],
        wrote: &[("am", "schrieb")],
        fwd_prefixes: &["wg", "wtr", "wtrlt", "weitergeleitet"],
        reply_prefixes: &["aw", "antw", "antwort"],
    },
    Language {
        code: "es",
        from: &["de", "remitente"],
        date: &["enviado", "enviado el", "fecha"],
        to: &["para"],
        cc: &["cc", "copia"],
        subject: &["asunto"],
        forwarded: &[
            "mensaje reenviado",
            "inicio del mensaje reenviado",
            "comienzo del mensaje reenviado",
        ],
        original: &["mensaje original"],
        wrote: &[("el", "escribió")],
        fwd_prefixes: &["rv", "reenviar", "reenv"],
        reply_prefixes: &["re", "rta", "resp"],
    },
    Language {
        code: "et",
        from: &["saatja", "kellelt"],
        date: &["saadetud", "kuupäev"],
        to: &["adressaat", "saaja", "kellele"],
        cc: &["koopia"],
        subject: &["teema"],
        forwarded: &[
            "edastatud kiri",
            "edastatud sõnum",
            "algus edastatud kirjale",
        ],
        original: &["algne sõnum", "algne kiri"],
        wrote: &[("", "kirjutas")],
        fwd_prefixes: &["edasi", "edasta"],
        reply_prefixes: &["vs", "vastus"],
    },
    Language {
        code: "fi",
        from: &["lähettäjä"],
        date: &["lähetetty", "päivämäärä", "päiväys"],
        to: &["vastaanottaja"],
        cc: &["kopio"],
        subject: &["aihe"],
        forwarded: &[
            "välitetty viesti",
            "välitetty viesti / fwd.msg",
            "välitetty viesti alkaa",
            "edelleenlähetetty viesti",
        ],
        original: &["alkuperäinen viesti"],
        wrote: &[("", "kirjoitti")],
        fwd_prefixes: &["vl", "välitä", "edelleenlähetys"],
        reply_prefixes: &["vs", "vast"],
    },
    Language {
        code: "fr",
        from: &["de", "expéditeur", "de la part de"],
        date: &["envoyé", "envoye", "date", "date d'envoi", "envoyé le"],
        to: &["à", "a", "pour", "destinataire"],
        cc: &["cc", "copie", "copie à"],
        subject: &["objet", "sujet"],
        forwarded: &[
            "message transféré",
            "message transmis",
            "début du message réexpédié",
            "début du message transféré",
        ],
        original: &["message d'origine", "message d’origine", "message original"],
        wrote: &[("le", "a écrit")],
        fwd_prefixes: &["tr", "trans", "transf"],
        reply_prefixes: &["re", "réf", "ref", "rép", "rep"],
    },
    Language {
        code: "hr",
        from: &["šalje", "od", "pošiljatelj"],
        date: &["poslano", "datum"],
        to: &["prima", "za"],
        cc: &["kopija"],
        subject: &["predmet", "naslov"],
        forwarded: &["proslijeđena poruka", "započni proslijeđenu poruku"],
        original: &["izvorna poruka", "izvorna pošta"],
        wrote: &[("", "napisao"), ("", "napisala"), ("", "je napisao")],
        fwd_prefixes: &["prosl", "proslijedi"],
        reply_prefixes: &["odg", "odgovor"],
    },
    Language {
        code: "hu",
        from: &["feladó"],
        date: &["elküldve", "dátum", "küldve"],
        to: &["címzett"],
        cc: &["másolat", "másolatot kap"],
        subject: &["tárgy"],
        forwarded: &["továbbított üzenet", "továbbított levél kezdete"],
        original: &["eredeti üzenet"],
        wrote: &[("", "ezt írta")],
        fwd_prefixes: &["továbbítás", "tov"],
        reply_prefixes: &["vá", "válasz"],
    },
    Language {
        code: "it",
        from: &["da", "mittente"],
        date: &["inviato", "data", "inviato il"],
        to: &["a", "destinatario"],
        cc: &["cc", "copia"],
        subject: &["oggetto"],
        forwarded: &["messaggio inoltrato", "inizio messaggio inoltrato"],
        original: &["messaggio originale"],
        wrote: &[("il giorno", "ha scritto"), ("il", "ha scritto")],
        fwd_prefixes: &["i", "inoltro", "inoltra"],
        reply_prefixes: &["r", "rif", "ris"],
    },
    Language {
        code: "ja",
        from: &["差出人", "送信者", "送信元"],
        date: &["送信日時", "日付", "送信日"],
        to: &["宛先", "受信者", "送信先"],
        cc: &["cc", "写し"],
        subject: &["件名"],
        forwarded: &[
            "転送されたメッセージ",
            "転送メッセージ",
            "転送メッセージの開始",
            "メッセージを転送",
        ],
        original: &["元のメッセージ", "元のメール"],
        wrote: &[("", "書きました"), ("", "のメッセージ")],
        fwd_prefixes: &["転送"],
        reply_prefixes: &["返信"],
    },
    Language {
        code: "ko",
        from: &["보낸 사람", "보낸사람"],
        date: &["보낸 날짜", "날짜", "보낸날짜"],
        to: &["받는 사람", "받는사람"],
        cc: &["참조"],
        subject: &["제목"],
        forwarded: &["전달된 메시지", "전달 메시지", "전달된 메시지 시작"],
        original: &["원본 메시지", "원래 메시지"],
        wrote: &[("", "작성"), ("", "작성함")],
        fwd_prefixes: &["전달"],
        reply_prefixes: &["회신", "답장"],
    },
    Language {
        code: "nl",
        from: &["van", "afzender"],
        date: &["verzonden", "verstuurd", "datum", "verzonden op"],
        to: &["aan"],
        cc: &["cc", "kopie"],
        subject: &["onderwerp"],
        forwarded: &[
            "doorgestuurd bericht",
            "doorgestuurde e-mail",
            "begin doorgestuurd bericht",
            "doorgestuurd bericht begint",
        ],
        original: &["oorspronkelijk bericht", "origineel bericht"],
        wrote: &[("op", "geschreven")],
        fwd_prefixes: &["doorst", "dooorst", "fw"],
        reply_prefixes: &["antw", "re"],
    },
    Language {
        code: "no",
        from: &["fra"],
        date: &["sendt", "dato"],
        to: &["til"],
        cc: &["kopi"],
        subject: &["emne"],
        forwarded: &["videresendt melding", "videresendt e-post"],
        original: &["opprinnelig melding", "opprinnelig e-post"],
        wrote: &[("", "skrev følgende den"), ("den", "skrev")],
        fwd_prefixes: &["vs", "videresend"],
        reply_prefixes: &["sv"],
    },
    Language {
        code: "pl",
        from: &["od", "nadawca"],
        date: &["wysłano", "data", "wysłany"],
        to: &["do", "adresat"],
        cc: &["dw", "kopia"],
        subject: &["temat"],
        forwarded: &[
            "przekazana wiadomość",
            "wiadomość przekazana",
            "wiadomość przekazana dalej",
            "początek przekazywanej wiadomości",
            "treść przekazanej wiadomości",
        ],
        original: &["wiadomość oryginalna", "oryginalna wiadomość"],
        wrote: &[("dnia", "napisał"), ("dnia", "napisał(a)")],
        fwd_prefixes: &["pd", "przekaż", "prześlij"],
        reply_prefixes: &["odp"],
    },
    Language {
        code: "pt",
        from: &["de"],
        date: &[
            "enviada",
            "enviado",
            "data",
            "enviada em",
            "enviado em",
            "data de envio",
        ],
        to: &["para"],
        cc: &["cc", "cópia"],
        subject: &["assunto"],
        forwarded: &[
            "mensagem encaminhada",
            "mensagem reencaminhada",
            "início da mensagem reencaminhada",
            "início da mensagem encaminhada",
            "começo da mensagem encaminhada",
        ],
        original: &["mensagem original"],
        wrote: &[("em", "escreveu")],
        fwd_prefixes: &["enc", "encaminhar", "reenc"],
        reply_prefixes: &["res", "resp", "re"],
    },
    Language {
        code: "ro",
        from: &["de la", "expeditor", "expeditorul"],
        date: &["trimis", "dată", "data"],
        to: &["către", "catre", "destinatar", "destinatarul"],
        cc: &["cc"],
        subject: &["subiect", "subiectul"],
        forwarded: &[
            "mesaj redirecționat",
            "mesaj redirecţionat",
            "mesaj redirectionat",
            "începe mesajul redirecționat",
            "mesaj transmis",
        ],
        original: &["mesaj original", "mesajul original"],
        wrote: &[("în", "a scris"), ("", "a scris")],
        fwd_prefixes: &["redir", "redirecționare", "fw"],
        reply_prefixes: &["răsp", "rasp"],
    },
    Language {
        code: "ru",
        from: &["от", "отправитель", "от кого"],
        date: &["отправлено", "дата", "отправлено в"],
        to: &["кому"],
        cc: &["копия"],
        subject: &["тема"],
        forwarded: &[
            "пересылаемое сообщение",
            "пересланное сообщение",
            "перенаправленное сообщение",
            "начало переадресованного сообщения",
        ],
        original: &["исходное сообщение", "оригинальное сообщение"],
        wrote: &[("", "написал"), ("", "написал(а)")],
        fwd_prefixes: &["пересл", "переслать", "fw"],
        reply_prefixes: &["отв", "ответ", "на"],
    },
    Language {
        code: "sk",
        from: &["od"],
        date: &["odoslané", "dátum"],
        to: &["komu", "pre"],
        cc: &["kópia"],
        subject: &["predmet"],
        forwarded: &[
            "preposlaná správa",
            "preposlaná správa --- forwarded message",
            "začiatok preposlanej správy",
        ],
        original: &["pôvodná správa"],
        wrote: &[("", "napísal"), ("", "napísal(a)")],
        fwd_prefixes: &["posl", "preposlať", "pp"],
        reply_prefixes: &["odp", "re"],
    },
    Language {
        code: "sl",
        from: &["od", "pošiljatelj"],
        date: &["poslano", "datum"],
        to: &["za", "prejemnik"],
        cc: &["kp", "kopija"],
        subject: &["zadeva"],
        forwarded: &["posredovano sporočilo", "začetek posredovanega sporočila"],
        original: &["izvirno sporočilo", "prvotno sporočilo"],
        wrote: &[("", "je napisal"), ("", "je napisal(a)")],
        fwd_prefixes: &["posr", "posreduj"],
        reply_prefixes: &["odg", "odgovor"],
    },
    Language {
        code: "sv",
        from: &["från", "avsändare"],
        date: &["skickat", "datum", "skickades"],
        to: &["till", "mottagare"],
        cc: &["kopia"],
        subject: &["ämne"],
        forwarded: &["vidarebefordrat meddelande", "vidarebefordrat mejl"],
        original: &["ursprungligt meddelande", "originalmeddelande"],
        wrote: &[("den", "följande"), ("den", "skrev")],
        fwd_prefixes: &["vb", "fs", "vidarebefordra"],
        reply_prefixes: &["sv"],
    },
    Language {
        code: "tr",
        from: &["kimden", "gönderen"],
        date: &["gönderildi", "tarih", "gönderilen", "gönderme tarihi"],
        to: &["kime", "alıcı"],
        cc: &["bilgi", "cc"],
        subject: &["konu"],
        forwarded: &[
            "iletilen ileti",
            "iletilmiş mesaj",
            "iletilen mesaj",
            "ileti başlangıcı",
        ],
        original: &["özgün ileti", "orijinal mesaj", "orijinal ileti"],
        wrote: &[("", "tarihinde şunu yazdı"), ("", "yazdı")],
        fwd_prefixes: &["ilt", "ilet"],
        reply_prefixes: &["ynt", "yanıt", "cvp", "cevap"],
    },
    Language {
        code: "uk",
        from: &["від", "від кого", "відправник"],
        date: &["надіслано", "дата", "відправлено"],
        to: &["кому"],
        cc: &["копія"],
        subject: &["тема"],
        forwarded: &[
            "переслане повідомлення",
            "перенаправлене повідомлення",
            "початок листа, що пересилається",
        ],
        original: &["оригінальне повідомлення", "вихідне повідомлення"],
        wrote: &[("", "написав"), ("", "написав(ла)"), ("", "написала")],
        fwd_prefixes: &["пересл", "переслати"],
        reply_prefixes: &["відп", "відповідь"],
    },
    Language {
        code: "zh-Hans",
        from: &["发件人", "发信人"],
        date: &["发送时间", "日期", "时间"],
        to: &["收件人"],
        cc: &["抄送"],
        subject: &["主题"],
        forwarded: &["转发的邮件", "转发邮件", "转发的消息", "原始邮件转发"],
        original: &["原始邮件", "原始消息"],
        wrote: &[("", "写道")],
        fwd_prefixes: &["转发", "转寄"],
        reply_prefixes: &["回复", "答复"],
    },
    Language {
        code: "zh-Hant",
        from: &["寄件者", "寄件人"],
        date: &["寄件日期", "傳送時間", "日期"],
        to: &["收件者", "收件人"],
        cc: &["副本", "抄送"],
        subject: &["主旨"],
        forwarded: &["轉寄的郵件", "轉寄郵件", "轉寄的訊息", "轉發的郵件"],
        original: &["原始郵件", "原始訊息"],
        wrote: &[("", "寫道")],
        fwd_prefixes: &["轉寄", "轉發"],
        reply_prefixes: &["回覆", "答覆"],
    },
];

/// Words of an attribution line right before the sender's name, when the
/// name is not quoted (`Op <date> heeft Jan <jan@…> geschreven:`).
pub(crate) const WROTE_SENDER_AFTER: &[&str] = &[
    "heeft",
    "időpontban",
    "používateľ",
    "пользователь",
    "користувач",
    "skrev",
    "schrieb",
];

/// Which header of a forward block a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    From,
    Date,
    To,
    Cc,
    Subject,
    /// A line shaped like a header that is not one of the above
    /// (`Importance:`, `Reply-To:`): tolerated inside a block.
    Other,
}

/// Lowercase for comparison, correctly for every script: Turkish dotted and
/// dotless I both become `i` (`İLT` is `ilt`), and runs of spaces are one.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            'İ' | 'I' | 'ı' => out.push('i'),
            '\u{307}' => {} // the combining dot that lowercasing İ leaves
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Every label word, folded, with its field and the languages that use it.
fn label_table() -> &'static HashMap<String, (Field, Vec<&'static str>)> {
    static TABLE: OnceLock<HashMap<String, (Field, Vec<&'static str>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: HashMap<String, (Field, Vec<&'static str>)> = HashMap::new();
        for lang in LANGUAGES {
            for (field, words) in [
                (Field::From, lang.from),
                (Field::Date, lang.date),
                (Field::To, lang.to),
                (Field::Cc, lang.cc),
                (Field::Subject, lang.subject),
            ] {
                for w in words {
                    let entry = t.entry(fold(w)).or_insert((field, Vec::new()));
                    entry.1.push(lang.code);
                }
            }
        }
        t
    })
}

/// The field a header label names (`Von`, `Lähettäjä`, `보낸 사람`, `De la`…),
/// with the languages that use the label.
pub(crate) fn field_of(label: &str) -> Option<(Field, &'static [&'static str])> {
    let key = fold(label);
    let key = key.trim_end_matches('.').trim();
    label_table()
        .get(key)
        .map(|(f, langs)| (*f, langs.as_slice()))
}

/// What a separator phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    Forwarded,
    Original,
}

/// The separator a phrase is (`forwarded message`, `Ursprüngliche
/// Nachricht`…), and its language.
pub(crate) fn separator_of(phrase: &str) -> Option<(Separator, &'static str)> {
    static TABLE: OnceLock<HashMap<String, (Separator, &'static str)>> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for lang in LANGUAGES {
            for p in lang.forwarded {
                t.entry(fold(p))
                    .or_insert((Separator::Forwarded, lang.code));
            }
            for p in lang.original {
                t.entry(fold(p)).or_insert((Separator::Original, lang.code));
            }
        }
        t
    });
    t.get(&fold(phrase)).copied()
}

/// Whether a folded subject prefix (without its colon) is a forward or a
/// reply prefix: `Some(true)` forward, `Some(false)` reply.
pub(crate) fn prefix_kind(prefix: &str) -> Option<bool> {
    static TABLE: OnceLock<HashMap<String, bool>> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        for lang in LANGUAGES {
            for p in lang.fwd_prefixes {
                t.insert(fold(p), true);
            }
        }
        for lang in LANGUAGES {
            for p in lang.reply_prefixes {
                t.entry(fold(p)).or_insert(false);
            }
        }
        t
    });
    let key = fold(prefix);
    t.get(key.trim_end_matches('.')).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_label_names_two_fields() {
        let mut seen: HashMap<String, (Field, &str)> = HashMap::new();
        for lang in LANGUAGES {
            for (field, words) in [
                (Field::From, lang.from),
                (Field::Date, lang.date),
                (Field::To, lang.to),
                (Field::Cc, lang.cc),
                (Field::Subject, lang.subject),
            ] {
                for w in words {
                    if let Some((f, other)) = seen.get(&fold(w)) {
                        assert_eq!(*f, field, "`{w}` in {} and {other}", lang.code);
                    }
                    seen.insert(fold(w), (field, lang.code));
                }
            }
        }
    }

    #[test]
    fn every_language_is_complete() {
        let codes: Vec<&str> = LANGUAGES.iter().map(|l| l.code).collect();
        for want in [
            "cs", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "it", "ja", "ko", "nl",
            "no", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "uk", "zh-Hans", "zh-Hant",
        ] {
            assert!(codes.contains(&want), "{want}");
        }
        for l in LANGUAGES {
            for (what, words) in [
                ("from", l.from),
                ("date", l.date),
                ("to", l.to),
                ("subject", l.subject),
                ("forwarded", l.forwarded),
                ("original", l.original),
                ("fwd_prefixes", l.fwd_prefixes),
            ] {
                assert!(!words.is_empty(), "{} has no {what}", l.code);
            }
        }
    }

    #[test]
    fn folding() {
        assert_eq!(fold("İLT"), "ilt");
        assert_eq!(fold("ILT"), "ilt");
        assert_eq!(fold("Lähettäjä"), "lähettäjä");
        assert_eq!(fold("ПЕРЕСЛ"), "пересл");
        assert_eq!(fold("  보낸   사람 "), "보낸 사람");
        assert_eq!(field_of("Von").map(|f| f.0), Some(Field::From));
        assert_eq!(field_of("De la").map(|f| f.0), Some(Field::From));
        assert_eq!(field_of("Kopie (CC)").map(|f| f.0), Some(Field::Cc));
        assert_eq!(field_of("发送时间").map(|f| f.0), Some(Field::Date));
        assert_eq!(field_of("Importance"), None);
        assert_eq!(prefix_kind("İLT"), Some(true));
        assert_eq!(prefix_kind("Ynt"), Some(false));
        assert_eq!(
            separator_of("Weitergeleitete Nachricht"),
            Some((Separator::Forwarded, "de"))
        );
    }
}
