//! Reading spec text: the only code that knows JSON from YAML (and about serde_yaml).
//!
//! It returns the typed `openapiv3` document together with the raw JSON tree, which later
//! stages use to see what the typed model drops (siblings of `$ref`), and a [`SourceMap`]
//! that turns JSON pointers back into line and column numbers for diagnostics. Documents in
//! other versions than 3.0 (Swagger 2.0, OpenAPI 3.1 and 3.2) are first rewritten as 3.0 by
//! [`crate::normalize`]; the raw tree is then the rewritten one, and the source map takes
//! pointers into it back to the text the user wrote.

use openapiv3::OpenAPI;

use crate::error::{pointer_push, Diagnostic, Error};
use crate::limits::{self, TreeError};

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Document {
    /// The typed document.
    pub api: OpenAPI,
    /// The same document as plain JSON, numbers as read (before [`limits::fit_numbers`]).
    pub raw: serde_json::Value,
    /// Maps pointers to source positions.
    pub source: SourceMap,
    /// What loading had to change to hold the document (a number beyond 64 bits, a schema
    /// bound beyond the typed model's range) and what the rewrite into OpenAPI 3.0 could not
    /// carry over precisely (none for a 3.0 document), each located in the source; generation
    /// reports them with its own warnings.
    pub warnings: Vec<Diagnostic>,
}

/// Parses OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0 text; JSON when the first non-blank character
/// is `{`, YAML otherwise.
///
/// Runs on a stack of known size ([`limits::with_stack`]), and refuses a document nested
/// deeper than [`limits::MAX_NESTING`] with one diagnostic at the pointer (and line) where
/// the limit is crossed.
pub fn parse(text: &str) -> Result<Document, Error> {
    limits::with_stack(|| parse_here(text))
}

fn parse_here(text: &str) -> Result<Document, Error> {
    let mut source = SourceMap::new(text);
    if text.trim().is_empty() {
        return Err(Error::Parse(Diagnostic {
            pointer: String::new(),
            message: "the file is empty (or only whitespace); expected an OpenAPI document"
                .to_owned(),
            location: None,
        }));
    }
    let (raw, mut warnings) = read_tree(text, &source)?;
    for warning in &mut warnings {
        warning.location = source.locate(&warning.pointer);
    }
    let (raw, rewritten) = normalize_version(raw, &mut source)?;
    warnings.extend(rewritten);
    let mut typed = without_misplaced_styles(&raw).unwrap_or_else(|| raw.clone());
    for mut warning in limits::fit_numbers(&mut typed) {
        warning.location = source.locate(&warning.pointer);
        warning.pointer = source.original(&warning.pointer);
        warnings.push(warning);
    }
    let api: OpenAPI = serde_path_to_error(&typed).map_err(|(pointer, message)| {
        let location = source.locate(&pointer);
        Error::Parse(Diagnostic {
            pointer: source.original(&pointer),
            message,
            location,
        })
    })?;
    Ok(Document {
        api,
        raw,
        source,
        warnings,
    })
}

/// The text as a JSON tree, with the warnings of numbers that had to change
/// ([`limits::read_tree`]); nesting beyond [`limits::MAX_NESTING`] is refused at its
/// pointer, with the line and column of its key (or, when the source map cannot find it,
/// where the deserializer met it).
fn read_tree(
    text: &str,
    source: &SourceMap,
) -> Result<(serde_json::Value, Vec<Diagnostic>), Error> {
    let too_deep = |format: &str, pointer: String, location: Option<(usize, usize)>| {
        Error::Parse(Diagnostic {
            location: source.locate(&pointer).or(location),
            pointer,
            message: limits::too_deep_message(format),
        })
    };
    let yaml = || {
        let position = |err: &serde_yaml::Error| err.location().map(|l| (l.line(), l.column()));
        limits::read_tree(serde_yaml::Deserializer::from_str(text)).map_err(|err| match err {
            TreeError::TooDeep { pointer, error } => too_deep("YAML", pointer, position(&error)),
            TreeError::Syntax(err) => Error::Parse(Diagnostic {
                pointer: String::new(),
                message: format!("not valid YAML: {}", without_location(&err, position(&err))),
                location: position(&err),
            }),
        })
    };
    if !text.trim_start().starts_with('{') {
        return yaml();
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let tree = limits::read_tree(&mut deserializer).and_then(|tree| {
        deserializer.end().map_err(TreeError::Syntax)?;
        Ok(tree)
    });
    match tree {
        Ok(tree) => Ok(tree),
        Err(TreeError::TooDeep { pointer, error }) => Err(too_deep(
            "JSON",
            pointer,
            Some((error.line(), error.column())),
        )),
        // serde_json holds numbers as 64-bit integers or `f64`s and refuses a literal
        // beyond (`1e400`); the YAML reader (JSON is YAML) reads it as text instead, which
        // `limits::fit_numbers` turns back into a bound where a schema has one.
        Err(TreeError::Syntax(err)) if err.to_string().starts_with("number out of range") => {
            yaml().map_err(|_| json_syntax(&err))
        }
        Err(TreeError::Syntax(err)) => Err(json_syntax(&err)),
    }
}

fn json_syntax(err: &serde_json::Error) -> Error {
    let location = (err.line(), err.column());
    Error::Parse(Diagnostic {
        pointer: String::new(),
        message: format!("not valid JSON: {}", without_location(err, Some(location))),
        location: Some(location),
    })
}

/// A parser's message without the ` at line L column C` it ends with: the diagnostic shows
/// the location itself, once.
fn without_location(err: &dyn std::fmt::Display, location: Option<(usize, usize)>) -> String {
    let text = err.to_string();
    match location {
        Some((line, column)) => {
            let suffix = format!(" at line {line} column {column}");
            text.replacen(&suffix, "", 1)
        }
        None => text,
    }
}

/// The styles OpenAPI 3.0.3 defines for each parameter location ("Style Values").
const STYLES: &[(&str, &[&str])] = &[
    ("path", &["matrix", "label", "simple"]),
    (
        "query",
        &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
    ),
    ("header", &["simple"]),
    ("cookie", &["form"]),
];

/// A copy of `raw` without the parameter `style`s that do not belong to their location (say
/// `deepObject` in a path), or `None` when there are none. The typed model cannot hold such
/// a style and would refuse the whole document; lowering finds it in `raw`, warns, and uses
/// the location's default.
fn without_misplaced_styles(raw: &serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    let misplaced = |param: &Value| {
        let location = param.get("in").and_then(Value::as_str);
        let style = param.get("style").and_then(Value::as_str);
        let (Some(location), Some(style)) = (location, style) else {
            return false;
        };
        STYLES
            .iter()
            .any(|(name, styles)| *name == location && !styles.contains(&style))
    };
    // Parameter lists: path items', operations' and the components'.
    let mut lists: Vec<String> = Vec::new();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_pointer = pointer_push("/paths", path);
            for (key, value) in item.as_object().into_iter().flatten() {
                if key == "parameters" {
                    lists.push(pointer_push(&item_pointer, key));
                } else if value.get("parameters").is_some() {
                    lists.push(pointer_push(
                        &pointer_push(&item_pointer, key),
                        "parameters",
                    ));
                }
            }
        }
    }
    lists.push("/components/parameters".to_owned());
    let mut found: Vec<String> = Vec::new();
    for list in lists {
        match raw.pointer(&list) {
            Some(Value::Array(items)) => found.extend(
                (0..items.len())
                    .filter(|&i| misplaced(&items[i]))
                    .map(|i| pointer_push(&list, &i.to_string())),
            ),
            Some(Value::Object(items)) => found.extend(
                items
                    .iter()
                    .filter(|(_, param)| misplaced(param))
                    .map(|(key, _)| pointer_push(&list, key)),
            ),
            _ => {}
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut copy = raw.clone();
    for pointer in found {
        if let Some(param) = copy.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            param.remove("style");
        }
    }
    Some(copy)
}

/// Rewrites a document of another version as OpenAPI 3.0 (see [`crate::normalize`]),
/// teaching `source` where the rewritten nodes came from and locating the warnings; refuses
/// unknown versions before the typed parse gives a vaguer error.
fn normalize_version(
    raw: serde_json::Value,
    source: &mut SourceMap,
) -> Result<(serde_json::Value, Vec<Diagnostic>), Error> {
    let normalized = crate::normalize::normalize(raw).map_err(Error::Parse)?;
    source.origins = normalized.origins;
    let mut warnings = normalized.warnings;
    for warning in &mut warnings {
        warning.location = source.locate_input(&warning.pointer);
    }
    Ok((normalized.document, warnings))
}

/// Deserializes the typed model; on failure, finds the deepest node that does not fit by
/// retrying on the children of the failing object (`openapiv3`'s untagged enums give
/// position-less errors otherwise).
fn serde_path_to_error(raw: &serde_json::Value) -> Result<OpenAPI, (String, String)> {
    match serde_json::from_value::<OpenAPI>(raw.clone()) {
        Ok(api) => Ok(api),
        Err(err) => Err((
            locate_bad_node(raw),
            format!("not a valid OpenAPI 3.0 document: {err}"),
        )),
    }
}

/// A best-effort pointer to the node that breaks the typed parse: the first path item,
/// operation or component entry that does not deserialize on its own.
fn locate_bad_node(raw: &serde_json::Value) -> String {
    use crate::error::pointer_push;
    use openapiv3::{Components, PathItem};
    if let Some(paths) = raw.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            if serde_json::from_value::<PathItem>(item.clone()).is_err() {
                let base = pointer_push("/paths", path);
                if let Some(ops) = item.as_object() {
                    for (method, op) in ops {
                        if serde_json::from_value::<openapiv3::Operation>(op.clone()).is_err()
                            && method != "parameters"
                        {
                            return pointer_push(&base, method);
                        }
                    }
                }
                return base;
            }
        }
    }
    if let Some(components) = raw.get("components") {
        if serde_json::from_value::<Components>(components.clone()).is_err() {
            if let Some(schemas) = components.get("schemas").and_then(|s| s.as_object()) {
                for (name, schema) in schemas {
                    if serde_json::from_value::<openapiv3::Schema>(schema.clone()).is_err() {
                        return pointer_push("/components/schemas", name);
                    }
                }
            }
            return "/components".to_owned();
        }
    }
    String::new()
}

/// Finds where a JSON pointer's node starts in the source text.
///
/// This is a light scanner rather than a full parser: it walks the pointer's tokens and, for
/// each one, searches forward for the key (`"key":` in JSON, `key:` at a deeper indent in
/// YAML). It is only used for messages, so a miss returns `None` rather than a wrong answer
/// wherever it can tell.
///
/// Pointers given to it are pointers into the (normalized) [`Document::raw`]; the
/// [`Origins`](crate::normalize::Origins) of the rewrite take them back to the text.
#[derive(Debug, Clone)]
pub struct SourceMap {
    text: String,
    origins: crate::normalize::Origins,
}

impl SourceMap {
    /// Remembers `text` for later look-ups.
    pub fn new(text: &str) -> Self {
        SourceMap {
            text: text.to_owned(),
            origins: Default::default(),
        }
    }

    /// The pointer into the text the user wrote for a pointer into [`Document::raw`] (the
    /// same pointer unless the document was rewritten from another version).
    pub fn original(&self, pointer: &str) -> String {
        self.origins.original(pointer)
    }

    /// Gives `diagnostic`, located by a pointer into [`Document::raw`], the pointer and the
    /// line and column in the text the user wrote.
    pub fn relocate(&self, diagnostic: &mut Diagnostic) {
        diagnostic.pointer = self.original(&diagnostic.pointer);
        if diagnostic.location.is_none() {
            diagnostic.location = self.locate_input(&diagnostic.pointer);
        }
    }

    /// 1-based line and column of the node at `pointer` (into [`Document::raw`]), if it can
    /// be found.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        self.locate_input(&self.original(pointer))
    }

    /// 1-based line and column of the node at `pointer` in the text itself.
    fn locate_input(&self, pointer: &str) -> Option<(usize, usize)> {
        if pointer.is_empty() {
            return Some((1, 1));
        }
        let mut offset = 0;
        for raw_token in pointer.split('/').skip(1) {
            let token = raw_token.replace("~1", "/").replace("~0", "~");
            offset = match token.parse::<usize>() {
                Ok(index) => self
                    .find_element(offset, index)
                    .or_else(|| self.find_key(offset, &token))?,
                Err(_) => self.find_key(offset, &token)?,
            };
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
        Some((line, column))
    }

    /// The start of the `index`-th element of the sequence that follows the key at `from`:
    /// a JSON array (`[a, b]`, counted at bracket depth one) or a YAML block sequence
    /// (`- a` lines at the first item's indentation).
    fn find_element(&self, from: usize, index: usize) -> Option<usize> {
        let rest = &self.text[from..];
        let after_key = rest.find(':').map_or(0, |colon| colon + 1);
        let value = &rest[after_key..];
        let value_start = value.len() - value.trim_start().len();
        let base = from + after_key;
        if value[value_start..].starts_with('[') {
            return json_element(&value[value_start..], index).map(|at| base + value_start + at);
        }
        let mut item_indent = None;
        let mut seen = 0usize;
        let mut position = base;
        for line in value.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if trimmed.starts_with("- ") || trimmed.trim_end() == "-" {
                let expected = *item_indent.get_or_insert(indent);
                if indent < expected {
                    return None;
                }
                if indent == expected {
                    if seen == index {
                        return Some(position + indent + 2);
                    }
                    seen += 1;
                }
            } else if item_indent.is_some_and(|expected| indent < expected && !trimmed.is_empty()) {
                return None;
            }
            position += line.len();
        }
        None
    }

    /// The first place after `from` where `token` stands as a key: `"token":` (JSON, or
    /// quoted YAML), `'token':`, or `token:` at the start of a YAML line or flow entry. One
    /// pass over the text, stopping at the first hit.
    fn find_key(&self, from: usize, token: &str) -> Option<usize> {
        let rest = &self.text[from..];
        if token.is_empty() {
            return rest
                .find("\"\":")
                .or_else(|| rest.find("'':"))
                .map(|at| from + at);
        }
        rest.match_indices(token).find_map(|(at, _)| {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + token.len()..];
            let key = match before {
                Some(quote @ ('"' | '\'')) => after
                    .strip_prefix(quote)
                    .is_some_and(|a| a.trim_start_matches(' ').starts_with(':')),
                None | Some(' ' | '\n' | '\t' | '{' | ',') => after.starts_with(':'),
                Some(_) => false,
            };
            let start = if matches!(before, Some('"' | '\'')) {
                at - 1
            } else {
                at
            };
            key.then_some(from + start)
        })
    }
}

/// Offset of the `index`-th element of the JSON array that `array` starts with.
fn json_element(array: &str, index: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut seen = 0usize;
    let mut expect_element = false;
    for (at, c) in array.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if expect_element && !c.is_whitespace() {
            if seen == index {
                return Some(at);
            }
            expect_element = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                expect_element = depth == 1;
            }
            ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return None;
                }
            }
            ',' if depth == 1 => {
                seen += 1;
                expect_element = true;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_are_both_read() {
        let yaml = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n";
        let json = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}"#;
        assert_eq!(parse(yaml).unwrap().api.info.title, "t");
        assert_eq!(parse(json).unwrap().api.info.title, "t");
    }

    #[test]
    fn other_versions_are_refused_with_a_pointer() {
        let err = parse("openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/openapi: OpenAPI version \"4.0.0\""),
            "{err}"
        );
        let err = parse("swagger: '1.2'\n").unwrap_err();
        assert!(err.to_string().contains("only 2.0"), "{err}");
    }

    #[test]
    fn rewritten_documents_are_located_in_the_text_the_user_wrote() {
        let swagger = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  Pet:\n    type: object\n    properties:\n      tags: {type: array, items: [{type: string}, {type: integer}]}\n";
        let document = parse(swagger).unwrap();
        assert!(document.api.components.unwrap().schemas.contains_key("Pet"));
        assert_eq!(document.warnings.len(), 1);
        let warning = &document.warnings[0];
        assert_eq!(warning.pointer, "/definitions/Pet/properties/tags/items");
        assert_eq!(warning.location, Some((8, 27)));
        assert_eq!(
            document.source.locate("/components/schemas/Pet/properties"),
            Some((7, 5))
        );
        let v31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
        assert_eq!(parse(v31).unwrap().api.openapi, "3.0.3");
    }

    #[test]
    fn malformed_yaml_reports_a_position() {
        let err = parse("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        match err {
            Error::Parse(d) => assert!(d.location.is_some(), "{d}"),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn integers_beyond_64_bits_load_in_yaml_and_json_with_located_warnings() {
        use openapiv3::{ReferenceOr, SchemaKind, Type};
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Big:\n      type: integer\n      minimum: -9223372036854776000\n      maximum: 18446744073709551616\n      example: 123456789012345678901234567890\n";
        let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Big": {"type": "integer",
            "minimum": -9223372036854776000, "maximum": 18446744073709551616,
            "example": 123456789012345678901234567890}}}}"#;
        for text in [yaml, json] {
            let document = parse(text).unwrap_or_else(|err| panic!("{err}"));
            let Some(ReferenceOr::Item(schema)) =
                document.api.components.unwrap().schemas.get("Big").cloned()
            else {
                panic!("no schema")
            };
            let SchemaKind::Type(Type::Integer(integer)) = schema.schema_kind else {
                panic!("not an integer schema: {schema:?}")
            };
            assert_eq!(integer.minimum, Some(i64::MIN));
            assert_eq!(integer.maximum, Some(i64::MAX));
            assert_eq!(
                schema.schema_data.example,
                Some(serde_json::json!(1.2345678901234568e29))
            );
            // The clamp serves the typed model only: the raw tree keeps the bound, which
            // is what the lowering types the integer from.
            assert_eq!(
                document.raw.pointer("/components/schemas/Big/maximum"),
                Some(&serde_json::json!(18446744073709551616.0_f64))
            );
        }
    }

    #[test]
    fn numbers_beyond_f64_load_in_json_and_yaml() {
        use openapiv3::{ReferenceOr, SchemaKind, Type};
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Huge:\n      type: number\n      maximum: 1e400\n      example: -1e999\n";
        let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Huge": {"type": "number", "maximum": 1e400,
            "example": -1e999}}}}"#;
        for text in [yaml, json] {
            let document = parse(text).unwrap_or_else(|err| panic!("{err}"));
            let Some(ReferenceOr::Item(schema)) = document
                .api
                .components
                .unwrap()
                .schemas
                .get("Huge")
                .cloned()
            else {
                panic!("no schema")
            };
            let SchemaKind::Type(Type::Number(number)) = schema.schema_kind else {
                panic!("not a number schema: {schema:?}")
            };
            assert_eq!(number.maximum, Some(f64::MAX));
            assert_eq!(
                schema.schema_data.example,
                Some(serde_json::json!("-1e999"))
            );
            assert!(
                document.warnings.iter().any(
                    |w| w.pointer == "/components/schemas/Huge/maximum" && w.location.is_some()
                ),
                "{:?}",
                document.warnings
            );
        }
    }

    #[test]
    fn pointers_map_to_lines() {
        let yaml = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      operationId: x\n";
        let map = SourceMap::new(yaml);
        assert_eq!(map.locate("/paths/~1pets/get"), Some((4, 5)));
        let json = "{\n  \"paths\": {\n    \"/pets\": {\n      \"get\": {}\n    }\n  }\n}";
        assert_eq!(
            SourceMap::new(json).locate("/paths/~1pets/get"),
            Some((4, 7))
        );
        let yaml =
            "paths:\n  /a:\n    parameters:\n      - name: a\n        in: query\n      - name: b\n";
        assert_eq!(
            SourceMap::new(yaml).locate("/paths/~1a/parameters/1"),
            Some((6, 9))
        );
        let json = r#"{"servers": [{"url": "a,]"}, {"url": "b"}]}"#;
        assert_eq!(SourceMap::new(json).locate("/servers/1"), Some((1, 30)));
    }
}
