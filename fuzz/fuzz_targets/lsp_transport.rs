//! Any bytes as what a client sends the language server: the framer never
//! panics and finds the same frames however the reads split the bytes
//! (the first input byte chooses the split); every frame is classified
//! without panicking, and a reply is a JSON-RPC 2.0 error response.
#![no_main]

use exchange_auth_lint::lsp::transport::{classify, Frame, Framer, Inbound};
use libfuzzer_sys::fuzz_target;

fn frames(data: &[u8], chunk: usize) -> Vec<Frame> {
    let mut framer = Framer::default();
    let mut out = Vec::new();
    for piece in data.chunks(chunk.max(1)) {
        framer.push(piece);
        while let Some(f) = framer.next_frame() {
            if let Frame::Message(body) = &f {
                assert!(body.len() <= data.len());
                if matches!(classify(body), Inbound::Reply(ref r) if r["error"]["code"] == -32700) {
                    framer.body_was_broken(body);
                }
            }
            out.push(f);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, data)) = data.split_first() else {
        return;
    };
    let whole = frames(data, data.len());
    let split = frames(data, split as usize % 17 + 1);
    // Messages are the same whatever the reads (errors may be found
    // earlier in smaller reads: garbage is dropped as soon as it is seen).
    let messages = |f: &[Frame]| -> Vec<Vec<u8>> {
        f.iter()
            .filter_map(|f| match f {
                Frame::Message(m) => Some(m.clone()),
                Frame::Broken(_) | Frame::TooLarge(_) => None,
            })
            .collect()
    };
    assert_eq!(messages(&whole), messages(&split));
    for f in &whole {
        if let Frame::Message(body) = f {
            if let Inbound::Reply(r) = classify(body) {
                assert_eq!(r["jsonrpc"], "2.0");
                assert!(r["error"]["code"].is_i64(), "{r}");
                assert!(r.get("id").is_some(), "{r}");
            }
        }
    }
});
