//! [`Binary`]: raw bytes where a spec says `format: binary`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Raw bytes: a file part of a multipart body, or a `format: binary` value.
///
/// In JSON (where binary data has no native form) it is written as a string, lossily when
/// the bytes are not UTF-8, and read from a string's UTF-8 bytes.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Consumes the value, returning the bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Binary(bytes.to_vec())
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary(text.into_bytes())
    }
}

impl From<&str> for Binary {
    fn from(text: &str) -> Self {
        Binary(text.as_bytes().to_vec())
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.0))
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Binary::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Binary;

    #[test]
    fn json_form_is_a_string() {
        let value = Binary::from("hello");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"hello\"");
        let back: Binary = serde_json::from_str("\"hello\"").unwrap();
        assert_eq!(back, value);
        assert_eq!(format!("{value:?}"), "Binary(5 bytes)");
    }
}
