use super::*;

const CLIENT: &str = r#"
public class EwsClient {
    // exchange-auth-lint-disable-next-line EXO002; migrating in Q3
    public String endpoint_x = 'https://outlook.office365.com/EWS/Exchange.asmx';
    public Map<String,String> inputHttpHeaders_x;
    /* block
       comment */
    public void send(String user, String pass) {
        HttpRequest req = new HttpRequest();
        req.setEndpoint('callout:Exchange' + '/EWS/Exchange.asmx');
        String auth = 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(user + ':' + pass));
        req.setHeader('Authorization', auth);
        this.inputHttpHeaders_x.put('Authorization', 'Basic ' + token);
        req.setBody('<m:FindItem xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">');
        String quoted = 'it\'s \u00e9';
    }
}
"#;

fn call<'a>(view: &'a ApexView, name: &str) -> &'a Call {
    view.calls.iter().find(|c| c.is(name)).unwrap()
}

#[test]
fn view_of_a_client() {
    let source = ApexSource::parse(CLIENT);
    let view = source.view();
    assert!(view.parsed);
    assert!(!view.has_errors);
    let endpoint = call(view, "setendpoint");
    assert_eq!(endpoint.receiver, ["req"]);
    assert_eq!(
        view.fold(&endpoint.args[0]),
        "callout:Exchange/EWS/Exchange.asmx"
    );
    let header = call(view, "setHeader");
    assert_eq!(view.fold(&header.args[0]), "Authorization");
    assert_eq!(view.fold(&header.args[1]), format!("Basic {UNKNOWN}"));
    let inner: Vec<&str> = view
        .calls_in(&header.args[1])
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(inner, ["base64Encode", "valueOf"]);
    let put = call(view, "put");
    assert_eq!(put.receiver, ["this", "inputHttpHeaders_x"]);
    assert_eq!(put.receiver_last(), Some("inputHttpHeaders_x"));
    let stub = view.assigned(&["endpoint_x".to_owned()]).unwrap();
    assert_eq!(
        &CLIENT[stub.range.clone()],
        "'https://outlook.office365.com/EWS/Exchange.asmx'"
    );
    assert!(view.strings.iter().any(|s| s.value == "it's \u{e9}"));
    let comments: Vec<&str> = view
        .comments
        .iter()
        .map(|c| &CLIENT[c.body.clone()])
        .collect();
    assert_eq!(
        comments,
        [
            " exchange-auth-lint-disable-next-line EXO002; migrating in Q3",
            " block\n       comment "
        ]
    );
    // Every literal is a value or part of one, once.
    let mut in_values: Vec<Range<usize>> = Vec::new();
    for v in &view.values {
        collect_strings(view, v, &mut in_values);
    }
    in_values.sort_by_key(|r| r.start);
    in_values.dedup();
    let mut all: Vec<Range<usize>> = view.strings.iter().map(|s| s.range.clone()).collect();
    all.sort_by_key(|r| r.start);
    assert_eq!(in_values, all);
}

use std::ops::Range;

fn collect_strings(view: &ApexView, e: &Expr, out: &mut Vec<Range<usize>>) {
    match &e.kind {
        ExprKind::Str(i) => out.push(view.strings[*i].range.clone()),
        ExprKind::Concat(parts) => parts.iter().for_each(|p| collect_strings(view, p, out)),
        _ => {}
    }
}

#[test]
fn classes_without_needles_are_not_parsed() {
    let view = ApexSource::parse(
        "public class ExchangeRateService { String base = 'https://api.frankfurter.app'; }",
    );
    assert_eq!(view.view(), &ApexView::default());
}

#[test]
fn broken_apex_still_yields_what_parsed() {
    for text in [
        "public class A { void m() { req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx'",
        "public class A { void m() { req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx'); if ( { } }",
        "req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx');",
        "public class A { String u = 'https://outlook.office365.com/EWS/Exchange.asmx'; void m( { ",
    ] {
        let source = ApexSource::parse(text);
        let view = source.view();
        assert!(view.parsed, "{text}");
        assert!(
            view.strings.iter().any(|s| s.value == "https://outlook.office365.com/EWS/Exchange.asmx"),
            "{text}: {view:#?}"
        );
    }
    // Unterminated strings and stray bytes: no panic, some view.
    for text in [
        "'callout:",
        "/* exchange-auth-lint",
        "\u{0}'Basic \u{FFFF}",
        "callout:\\u12",
    ] {
        let _ = ApexSource::parse(text);
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut text = String::from("public class A { String s = ");
    text.push_str(&"(".repeat(20_000));
    text.push_str("'callout:X/EWS/'");
    text.push_str(&")".repeat(20_000));
    text.push_str(" + ");
    text.push_str(&"'a' + ".repeat(20_000));
    text.push_str("'b'; }");
    let _ = ApexSource::parse(&text);
}

/// Editing through `set_text` ends where a fresh parse of the same text does.
#[test]
fn incremental_reparse_equals_a_fresh_parse() {
    let mut texts = vec![CLIENT.to_owned()];
    let mut t = CLIENT.to_owned();
    for (from, to) in [
        ("office365.com", "office365.us"),
        ("'Basic '", "'Bearer '"),
        ("req.setHeader(", "req.setHeader(\n"),
        ("public void send(", "public void send(é, "),
        ("é, ", ""),
        ("callout:Exchange", "callout:Exchange_Online"),
        ("}\n}\n", "}\n"),
        ("}\n", "}\n}\n"),
    ] {
        t = t.replacen(from, to, 1);
        texts.push(t.clone());
    }
    // Typing a class from nothing, one character at a time.
    let mut typed = String::new();
    for c in "class A { String u = 'callout:X/EWS/'; }".chars() {
        typed.push(c);
        texts.push(typed.clone());
    }
    let mut source = ApexSource::parse(&texts[0]);
    for w in texts.windows(2) {
        source.set_text(&w[0], &w[1]);
        assert_eq!(source.view(), ApexSource::parse(&w[1]).view(), "{:?}", w[1]);
    }
}

#[test]
fn input_edit_is_on_char_boundaries() {
    let e = input_edit("aé\nb", "aè\nb");
    assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (1, 3, 3));
    assert_eq!(e.start_position, Point { row: 0, column: 1 });
    let e = input_edit("x\nab", "x\nabc");
    assert_eq!(e.new_end_position, Point { row: 1, column: 3 });
}
