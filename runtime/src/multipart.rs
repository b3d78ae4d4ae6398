//! `multipart/form-data` bodies (RFC 7578), encoded to bytes up front so a retry can send
//! exactly the same body again.

use serde::Serialize;
use serde_json::Value;

use crate::Binary;

/// A multipart body under construction: generated code adds one part per property.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    error: Option<String>,
}

#[derive(Debug, Clone)]
struct Part {
    name: String,
    content_type: Option<&'static str>,
    file: bool,
    bytes: Vec<u8>,
}

/// Values that go into file parts: [`Binary`], and optional or repeated ones.
pub trait FileValue {
    /// The files, in order (none for an absent optional value).
    fn files(&self) -> Vec<&[u8]>;
}

impl FileValue for Binary {
    fn files(&self) -> Vec<&[u8]> {
        vec![self.as_bytes()]
    }
}

impl<T: FileValue> FileValue for Option<T> {
    fn files(&self) -> Vec<&[u8]> {
        self.as_ref().map(FileValue::files).unwrap_or_default()
    }
}

impl<T: FileValue> FileValue for Vec<T> {
    fn files(&self) -> Vec<&[u8]> {
        self.iter().flat_map(FileValue::files).collect()
    }
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a field: strings, numbers and booleans as text parts, arrays of those as one
    /// part per element, objects as a JSON part; `null` adds nothing.
    pub fn part<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.push_value(name, &value, true),
            Err(err) => self.error = Some(format!("multipart field `{name}`: {err}")),
        }
        self
    }

    /// Adds one file part per file in `value`.
    pub fn file<F: FileValue + ?Sized>(mut self, name: &str, value: &F) -> Self {
        for bytes in value.files() {
            self.parts.push(Part {
                name: name.to_owned(),
                content_type: Some("application/octet-stream"),
                file: true,
                bytes: bytes.to_vec(),
            });
        }
        self
    }

    fn push_value(&mut self, name: &str, value: &Value, spread_arrays: bool) {
        let text = |bytes: Vec<u8>| Part {
            name: name.to_owned(),
            content_type: None,
            file: false,
            bytes,
        };
        match value {
            Value::Null => {}
            Value::String(s) => self.parts.push(text(s.clone().into_bytes())),
            Value::Bool(_) | Value::Number(_) => {
                self.parts.push(text(value.to_string().into_bytes()))
            }
            Value::Array(items)
                if spread_arrays && items.iter().all(|i| !i.is_object() && !i.is_array()) =>
            {
                for item in items {
                    self.push_value(name, item, false);
                }
            }
            Value::Array(_) | Value::Object(_) => self.parts.push(Part {
                name: name.to_owned(),
                content_type: Some("application/json"),
                file: false,
                bytes: value.to_string().into_bytes(),
            }),
        }
    }

    /// The encoded body and its `Content-Type` (with the boundary).
    pub fn encode(&self) -> Result<(String, Vec<u8>), String> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let boundary = self.boundary();
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let name = escape(&part.name);
            if part.file {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n"
                    )
                    .as_bytes(),
                );
            } else {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
                );
            }
            if let Some(content_type) = part.content_type {
                body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok((format!("multipart/form-data; boundary={boundary}"), body))
    }

    /// A boundary that occurs in no part: derived from the contents, lengthened until unique.
    fn boundary(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in &self.parts {
            for byte in part.name.bytes().chain(part.bytes.iter().copied()) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        let mut boundary = format!("forge-{hash:016x}");
        while self
            .parts
            .iter()
            .any(|p| contains(&p.bytes, boundary.as_bytes()))
        {
            hash = hash.wrapping_mul(0x0100_0000_01b3).wrapping_add(1);
            boundary.push_str(&format!("{:x}", hash & 0xffff));
        }
        boundary
    }
}

/// Names go inside a quoted header parameter: quotes, backslashes and line breaks are
/// percent-encoded as the HTML form encoding does.
fn escape(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::Multipart;
    use crate::Binary;

    #[test]
    fn encodes_text_json_and_file_parts() {
        let form = Multipart::new()
            .part("title", "hi")
            .part("count", &3)
            .part("skip", &Option::<String>::None)
            .part("tags", &vec!["a", "b"])
            .part("meta", &serde_json::json!({"k": 1}))
            .file("upload", &Binary::from("bytes\r\n--x"));
        let (content_type, body) = form.encode().unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let text = String::from_utf8(body).unwrap();
        assert_eq!(text.matches(&format!("--{boundary}\r\n")).count(), 6);
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
        assert!(text.contains("name=\"title\"\r\n\r\nhi\r\n"));
        assert!(text.contains("name=\"count\"\r\n\r\n3\r\n"));
        assert!(!text.contains("skip"));
        assert!(
            text.contains("name=\"tags\"\r\n\r\na\r\n")
                && text.contains("name=\"tags\"\r\n\r\nb\r\n")
        );
        assert!(text.contains("Content-Type: application/json\r\n\r\n{\"k\":1}\r\n"));
        assert!(text.contains(
            "filename=\"upload\"\r\nContent-Type: application/octet-stream\r\n\r\nbytes\r\n--x\r\n"
        ));
    }

    #[test]
    fn the_boundary_never_occurs_in_a_part() {
        let probe = Multipart::new().file("f", &Binary::from("x"));
        let (content_type, _) = probe.encode().unwrap();
        let boundary = content_type.rsplit('=').next().unwrap().to_owned();
        let tricky = Multipart::new().file("f", &Binary::from(format!("x{boundary}")));
        let (content_type, _) = tricky.encode().unwrap();
        assert!(!format!("x{boundary}").contains(content_type.rsplit('=').next().unwrap()));
    }
}
