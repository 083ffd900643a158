//! Names derived from an endpoint's file path: operation ids and tags (the rule is documented
//! in docs/runtime.md, "OpenAPI").

/// `user-profile` → `UserProfile`; `todos` → `Todos`; `v2_items` → `V2Items`.
pub fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// The path segments of a method file, `endpoints/todos/[id]/get.ts` → `["todos", "[id]"]`.
fn segments(file: &str) -> Vec<&str> {
    let inner = file.strip_prefix("endpoints/").unwrap_or(file);
    let mut parts: Vec<&str> = inner.split('/').collect();
    parts.pop(); // the method file
    parts.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The operation id: the lower-case method, then each path segment in PascalCase, a `[param]`
/// as `By<Param>`; the root is `Root`. `endpoints/todos/[id]/get.ts` → `getTodosById`.
pub fn operation_id(method: &str, file: &str) -> String {
    let mut id = method.to_ascii_lowercase();
    let segs = segments(file);
    if segs.is_empty() {
        id.push_str("Root");
    }
    for s in segs {
        match s.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(param) => {
                id.push_str("By");
                id.push_str(&pascal(param));
            }
            None => id.push_str(&pascal(s)),
        }
    }
    id
}

/// The default tag: the first path segment that is not a parameter, else `root`.
pub fn tag(file: &str) -> String {
    segments(file).into_iter().find(|s| !s.starts_with('[')).unwrap_or("root").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_follow_the_file_path() {
        assert_eq!(operation_id("GET", "endpoints/hello/get.ts"), "getHello");
        assert_eq!(operation_id("GET", "endpoints/todos/[id]/get.ts"), "getTodosById");
        assert_eq!(operation_id("POST", "endpoints/user-profile/avatar_image/post.ts"), "postUserProfileAvatarImage");
        assert_eq!(operation_id("DELETE", "endpoints/rooms/[roomId]/members/[user_id]/delete.ts"), "deleteRoomsByRoomIdMembersByUserId");
        assert_eq!(operation_id("GET", "endpoints/get.ts"), "getRoot");
    }

    #[test]
    fn tags_are_the_first_static_segment() {
        assert_eq!(tag("endpoints/todos/[id]/get.ts"), "todos");
        assert_eq!(tag("endpoints/[org]/items/get.ts"), "items");
        assert_eq!(tag("endpoints/get.ts"), "root");
    }
}
