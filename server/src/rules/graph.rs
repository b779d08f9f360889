//! Microsoft Graph as the EXO001 fix leads to it: the application
//! permissions that replace each EWS operation (least privileged ones from
//! each Graph call's "Permissions" table; EWS's mail/calendar rows name
//! both), for the notes of the fixes that convert a credential.

use crate::apex::ews::Operation;

/// Graph application permissions per EWS operation (`apex::ews::OPERATIONS`).
static PERMISSIONS: &[(&str, &[&str])] = &[
    ("FindItem", &["Mail.Read", "Calendars.Read"]),
    ("GetItem", &["Mail.Read", "Calendars.Read"]),
    ("CreateItem", &["Mail.Send", "Calendars.ReadWrite"]),
    ("SendItem", &["Mail.Send"]),
    ("UpdateItem", &["Mail.ReadWrite", "Calendars.ReadWrite"]),
    ("DeleteItem", &["Mail.ReadWrite", "Calendars.ReadWrite"]),
    ("MoveItem", &["Mail.ReadWrite"]),
    ("CopyItem", &["Mail.ReadWrite"]),
    ("FindFolder", &["Mail.Read"]),
    ("GetFolder", &["Mail.Read"]),
    ("CreateFolder", &["Mail.ReadWrite"]),
    ("GetAttachment", &["Mail.Read"]),
    ("CreateAttachment", &["Mail.ReadWrite"]),
    ("GetUserAvailability", &["Calendars.Read"]),
    ("ResolveNames", &["People.Read.All", "User.Read.All"]),
    ("FindPeople", &["People.Read.All"]),
    ("ExpandDL", &["GroupMember.Read.All"]),
    ("ConvertId", &["User.ReadBasic.All"]),
    ("Subscribe", &["Mail.Read"]),
    ("GetStreamingEvents", &["Mail.Read"]),
    ("SyncFolderItems", &["Mail.Read", "Calendars.Read"]),
    ("SyncFolderHierarchy", &["Mail.Read"]),
    ("GetUserOofSettings", &["MailboxSettings.Read"]),
    ("SetUserOofSettings", &["MailboxSettings.ReadWrite"]),
    ("GetRoomLists", &["Place.Read.All"]),
    ("GetRooms", &["Place.Read.All"]),
    ("GetUserPhoto", &["User.Read.All"]),
    ("ExchangeImpersonation", &[]),
];

/// What an integration usually needs when the project shows no operation.
pub const TYPICAL: &[&str] = &["Mail.Send", "Calendars.ReadWrite", "Contacts.ReadWrite"];

/// The application permissions for `ops`, each once, sorted; a write
/// permission makes its read twin redundant (`Mail.ReadWrite` covers
/// `Mail.Read`).
pub fn application_permissions(ops: &[&Operation]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = ops
        .iter()
        .filter_map(|op| PERMISSIONS.iter().find(|(name, _)| *name == op.name))
        .flat_map(|(_, perms)| perms.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    let covered = |p: &str| {
        p.strip_suffix(".Read")
            .is_some_and(|base| out.contains(&format!("{base}.ReadWrite").as_str()))
    };
    let redundant: Vec<&'static str> = out.iter().copied().filter(|p| covered(p)).collect();
    out.retain(|p| !redundant.contains(p));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apex::ews::OPERATIONS;

    #[test]
    fn every_operation_has_permissions() {
        for op in OPERATIONS {
            assert!(
                PERMISSIONS.iter().any(|(name, _)| *name == op.name),
                "{} has no row",
                op.name
            );
        }
    }

    #[test]
    fn permissions_are_unique_and_minimal() {
        let op = |name: &str| OPERATIONS.iter().find(|o| o.name == name).unwrap();
        assert_eq!(
            application_permissions(&[op("FindItem"), op("CreateItem"), op("UpdateItem")]),
            ["Calendars.ReadWrite", "Mail.ReadWrite", "Mail.Send"]
        );
        assert_eq!(
            application_permissions(&[op("GetUserAvailability"), op("ResolveNames")]),
            ["Calendars.Read", "People.Read.All", "User.Read.All"]
        );
        assert!(application_permissions(&[op("ExchangeImpersonation")]).is_empty());
    }
}
