//! Exchange Web Services as it shows in Apex: the SOAP namespaces, the
//! operations named in request bodies and WSDL2Apex stubs, and what each
//! becomes in Microsoft Graph (Microsoft's "EWS to Microsoft Graph API
//! mappings"; the calendar rows are by analogy, the table has none).
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::sync::OnceLock;

/// The EWS message and type namespaces
/// (`http://schemas.microsoft.com/exchange/services/2006/messages`, `…/types`).
pub const NAMESPACE: &str = "schemas.microsoft.com/exchange/services/2006/";

/// Whether a string value names an EWS namespace.
pub fn has_namespace(value: &str) -> bool {
    contains_ignore_case(value, NAMESPACE)
}

/// `needle` (ASCII) in `hay`, ignoring ASCII case.
pub fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// An EWS operation and its Microsoft Graph equivalent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    pub name: &'static str,
    /// The Graph request(s) that replace it.
    pub graph: &'static str,
}

/// The operations the linter names, with their Graph equivalents.
pub static OPERATIONS: &[Operation] = &[
    Operation { name: "FindItem", graph: "GET /users/{id}/messages (mail); GET /users/{id}/calendarView (a calendar FindItem with CalendarView)" },
    Operation { name: "GetItem", graph: "GET /users/{id}/messages/{id} (mail); GET /users/{id}/events/{id} (calendar)" },
    Operation { name: "CreateItem", graph: "POST /users/{id}/sendMail (mail); POST /users/{id}/events (CalendarItem)" },
    Operation { name: "SendItem", graph: "POST /users/{id}/messages/{id}/send" },
    Operation { name: "UpdateItem", graph: "PATCH /users/{id}/messages/{id}; PATCH /users/{id}/events/{id}" },
    Operation { name: "DeleteItem", graph: "DELETE /users/{id}/messages/{id}; DELETE /users/{id}/events/{id}" },
    Operation { name: "MoveItem", graph: "POST /users/{id}/messages/{id}/move" },
    Operation { name: "CopyItem", graph: "POST /users/{id}/messages/{id}/copy" },
    Operation { name: "FindFolder", graph: "GET /users/{id}/mailFolders" },
    Operation { name: "GetFolder", graph: "GET /users/{id}/mailFolders/{id}" },
    Operation { name: "CreateFolder", graph: "POST /users/{id}/mailFolders" },
    Operation { name: "GetAttachment", graph: "GET /users/{id}/messages/{id}/attachments/{id}" },
    Operation { name: "CreateAttachment", graph: "POST /users/{id}/messages/{id}/attachments" },
    Operation { name: "GetUserAvailability", graph: "POST /users/{id}/calendar/getSchedule" },
    Operation { name: "ResolveNames", graph: "GET /users/{id}/people?$search= or GET /users" },
    Operation { name: "FindPeople", graph: "GET /users/{id}/people" },
    Operation { name: "ExpandDL", graph: "GET /groups/{id}/members" },
    Operation { name: "ConvertId", graph: "POST /users/{id}/translateExchangeIds" },
    Operation { name: "Subscribe", graph: "POST /subscriptions" },
    Operation { name: "GetStreamingEvents", graph: "POST /subscriptions (change notifications)" },
    Operation { name: "SyncFolderItems", graph: "GET /users/{id}/mailFolders/{id}/messages/delta; GET /users/{id}/calendarView/delta" },
    Operation { name: "SyncFolderHierarchy", graph: "GET /users/{id}/mailFolders/delta" },
    Operation { name: "GetUserOofSettings", graph: "GET /users/{id}/mailboxSettings/automaticRepliesSetting" },
    Operation { name: "SetUserOofSettings", graph: "PATCH /users/{id}/mailboxSettings" },
    Operation { name: "GetRoomLists", graph: "GET /places/microsoft.graph.roomlist" },
    Operation { name: "GetRooms", graph: "GET /places/{room list}/microsoft.graph.roomlist/rooms" },
    Operation { name: "GetUserPhoto", graph: "GET /users/{id}/photo/$value" },
    Operation { name: "ExchangeImpersonation", graph: "no header: Graph application permissions scoped with RBAC for Applications" },
];

/// The operations named in `value` (a SOAP body, a SOAP action, a
/// WSDL2Apex element name), each once, in table order. A name counts when
/// it stands alone: `<m:FindItem …>`, `…/messages/FindItem`, `'FindItem'`,
/// not `FindItemResponse` or `MyFindItems`.
pub fn operations_in(value: &str, found: &mut Vec<&'static Operation>) {
    let bytes = value.as_bytes();
    // One pass over the value for every name (a search per name, built for
    // every string literal, was a visible part of checking a large org).
    let mut seen = vec![false; OPERATIONS.len()];
    for m in names().find_overlapping_iter(bytes) {
        let (i, end) = (m.start(), m.end());
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(end).copied();
        let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !word(before) && !word(after) {
            seen[m.pattern().as_usize()] = true;
        }
    }
    for (op, _) in OPERATIONS.iter().zip(&seen).filter(|(_, s)| **s) {
        if !found.iter().any(|f| f.name == op.name) {
            found.push(op);
        }
    }
}

/// Every operation name, in table order, for one search.
fn names() -> &'static AhoCorasick {
    static NAMES: OnceLock<AhoCorasick> = OnceLock::new();
    NAMES.get_or_init(|| {
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(OPERATIONS.iter().map(|op| op.name))
            .expect("the operation names are valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_standalone_operation_names() {
        let mut found = Vec::new();
        operations_in(
            "<soap:Body><m:FindItem Traversal=\"Shallow\"><m:ItemShape/></m:FindItem><m:FindItemResponse/></soap:Body>",
            &mut found,
        );
        operations_in(
            "http://schemas.microsoft.com/exchange/services/2006/messages/GetUserAvailability",
            &mut found,
        );
        operations_in("MyResolveNamesHelper FindItems", &mut found);
        let names: Vec<_> = found.iter().map(|o| o.name).collect();
        assert_eq!(names, ["FindItem", "GetUserAvailability"]);
        assert!(has_namespace(
            "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\""
        ));
        assert!(!has_namespace(
            "http://schemas.microsoft.com/office/2006/01/customui"
        ));
    }
}
