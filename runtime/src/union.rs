//! Decoding untagged unions (`oneOf`/`anyOf` without a discriminator) by best match.
//!
//! Trying variants in order and taking the first that decodes is a silent trap: an object
//! variant whose fields are all optional decodes from any object, so a later, exact variant
//! would never be chosen. Generated code instead offers every variant to a [`BestMatch`],
//! which keeps the one that decodes and accounts for the most keys of the input object
//! (ties go to the earlier, narrower variant).

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Collects the best-matching variant of an untagged union for one input value.
#[derive(Debug)]
pub struct BestMatch<'a, U> {
    value: &'a Value,
    best: Option<(usize, U)>,
    errors: Vec<String>,
}

impl<'a, U> BestMatch<'a, U> {
    /// Starts matching `value`.
    pub fn new(value: &'a Value) -> Self {
        BestMatch {
            value,
            best: None,
            errors: Vec::new(),
        }
    }

    /// Offers the variant that decodes as `T` and is built with `wrap`; `fields` are the
    /// property names `T` declares (empty for a non-object variant).
    pub fn offer<T: DeserializeOwned>(
        &mut self,
        name: &str,
        fields: &[&str],
        wrap: impl FnOnce(T) -> U,
    ) {
        match serde_json::from_value::<T>(self.value.clone()) {
            Ok(decoded) => {
                let score = match self.value {
                    Value::Object(object) => object
                        .keys()
                        .filter(|key| fields.contains(&key.as_str()))
                        .count(),
                    _ => 0,
                };
                if self.best.as_ref().is_none_or(|(best, _)| score > *best) {
                    self.best = Some((score, wrap(decoded)));
                }
            }
            Err(err) => self.errors.push(format!("{name}: {err}")),
        }
    }

    /// The best variant, or an error listing why each failed.
    pub fn finish(self) -> Result<U, String> {
        match self.best {
            Some((_, union)) => Ok(union),
            None => Err(format!("no variant matched ({})", self.errors.join("; "))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BestMatch;
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Loose {
        #[serde(default)]
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Exact {
        id: i64,
        name: String,
    }

    #[derive(Debug, PartialEq)]
    enum Either {
        Loose(Loose),
        Exact(Exact),
        Text(String),
    }

    fn decode(value: serde_json::Value) -> Result<Either, String> {
        let mut best = BestMatch::new(&value);
        best.offer("Loose", &["note"], Either::Loose);
        best.offer("Exact", &["id", "name"], Either::Exact);
        best.offer("Text", &[], Either::Text);
        best.finish()
    }

    #[test]
    fn the_variant_that_explains_the_most_keys_wins() {
        // A first-match decoder would take `Loose` for all of these objects.
        assert_eq!(
            decode(json!({"id": 1, "name": "a"})).unwrap(),
            Either::Exact(Exact {
                id: 1,
                name: "a".into()
            })
        );
        assert_eq!(
            decode(json!({"note": "n"})).unwrap(),
            Either::Loose(Loose {
                note: Some("n".into())
            })
        );
        assert_eq!(
            decode(json!({})).unwrap(),
            Either::Loose(Loose { note: None })
        );
        assert_eq!(decode(json!("s")).unwrap(), Either::Text("s".into()));
        let err = decode(json!(5)).unwrap_err();
        assert!(
            err.contains("no variant matched") && err.contains("Text"),
            "{err}"
        );
    }
}
