//! Parameter serialization by style: the one place that turns a parameter value into wire
//! text for its location, following the OpenAPI 3.0.3 Parameter Object ("Style Values",
//! "Style Examples"). It knows nothing about HTTP requests: [`Request`](crate::Request) and
//! [`path_param`](crate::path_param) call [`serialize`] and put what it returns in place.
//!
//! Every value goes through [`serde_json::to_value`] first (objects keep their field order),
//! so anything `Serialize` works. `null` (e.g. `None`) is an absent value: nothing is sent,
//! except in a path, where it is an error. `null` elements of arrays and `null` fields of
//! objects are left out.
//!
//! With `color` = `""`, `"blue"`, `["blue","black","brown"]` and `{"R":100,"G":200,"B":150}`
//! (the specification's own examples), the styles render:
//!
//! | style (location)        | explode | `""`     | `"blue"`      | array                                | object                                  |
//! |-------------------------|---------|----------|---------------|--------------------------------------|-----------------------------------------|
//! | matrix (path)           | false   | `;color` | `;color=blue` | `;color=blue,black,brown`            | `;color=R,100,G,200,B,150`              |
//! | matrix (path)           | true    | `;color` | `;color=blue` | `;color=blue;color=black;color=brown` | `;R=100;G=200;B=150`                   |
//! | label (path)            | false   | `.`      | `.blue`       | `.blue.black.brown`                  | `.R.100.G.200.B.150`                    |
//! | label (path)            | true    | `.`      | `.blue`       | `.blue.black.brown`                  | `.R=100.G=200.B=150`                    |
//! | form (query)            | false   | `color=` | `color=blue`  | `color=blue,black,brown`             | `color=R,100,G,200,B,150`               |
//! | form (query)            | true    | `color=` | `color=blue`  | `color=blue&color=black&color=brown` | `R=100&G=200&B=150`                     |
//! | simple (path, header)   | false   | (empty)  | `blue`        | `blue,black,brown`                   | `R,100,G,200,B,150`                     |
//! | simple (path, header)   | true    | (empty)  | `blue`        | `blue,black,brown`                   | `R=100,G=200,B=150`                     |
//! | spaceDelimited (query)  | false   | as form  | as form       | `color=blue%20black%20brown`         | `color=R%20100%20G%20200%20B%20150`     |
//! | pipeDelimited (query)   | false   | as form  | as form       | `color=blue\|black\|brown`           | `color=R\|100\|G\|200\|B\|150`          |
//! | deepObject (query)      | true    | as form  | as form       | as form, exploded                    | `color[R]=100&color[G]=200&color[B]=150` |
//! | form (cookie)           | false   | `color=` | `color=blue`  | `color=blue,black,brown`             | `color=R,100,G,200,B,150`               |
//! | form (cookie)           | true    | `color=` | `color=blue`  | `color=blue; color=black; color=brown` | `R=100; G=200; B=150`                 |
//!
//! Cells the specification marks n/a take the form rendering shown ("as form"); so do
//! `spaceDelimited` and `pipeDelimited` with `explode: true`. A style that does not belong to
//! a location (say `deepObject` in a path) is rendered as the location's default style
//! ([`ParamStyle::default_for`]); the generator warns about such specs. Nested arrays and
//! objects have no rendering in any style but `deepObject` (`f[a][b]=1`, arrays as repeated
//! keys) and make the request fail.
//!
//! Percent-encoding, by location (RFC 3986 section 2; "unreserved" is `A-Z a-z 0-9 - . _ ~`):
//!
//! | location | inside names, keys and values                                      | delimiters                      |
//! |----------|--------------------------------------------------------------------|---------------------------------|
//! | path     | everything but unreserved; `.` too in `label` values               | `, ; = .` literal               |
//! | query    | everything but unreserved; with `allowReserved`, `: / ? @ ! $ ' ( ) * , ;` and existing `%XX` stay | `, \| [ ] = &` literal, space as `%20` |
//! | header   | a single value as is; in arrays and objects `%`, `,` and `=`       | `,` `=` literal                 |
//! | cookie   | controls, space, `" % , ; \` and non-ASCII; in exploded keys also `=` | `,` literal, pairs by `; `   |
//!
//! So a delimiter inside a value can never be mistaken for the separator: `["a,b","c"]` in a
//! non-exploded form query is `color=a%2Cb,c`. The one exception is `spaceDelimited`, whose
//! separator is itself an encoded space: a space inside a value looks the same on the wire.
//! With `allowReserved`, `, ;` stay literal inside values too (that is what it asks for);
//! `# & = + [ ]` are always encoded because they would change the query's structure.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::{Map, Value};

/// Where a parameter goes (the Parameter Object's `in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// Part of the path (`in: path`).
    Path,
    /// The query string (`in: query`).
    Query,
    /// A request header (`in: header`).
    Header,
    /// The `Cookie` header (`in: cookie`).
    Cookie,
}

impl ParamLocation {
    fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// The Parameter Object's `style` (OpenAPI 3.0.3, "Style Values").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `;name=value` (RFC 6570 path-style parameters); path only.
    Matrix,
    /// `.value` (RFC 6570 label expansion); path only.
    Label,
    /// `name=value` (RFC 6570 form-style query); query and cookie.
    Form,
    /// `value`, arrays and objects joined with `,`; path and header.
    Simple,
    /// Array elements joined with a space (`%20`); query only.
    SpaceDelimited,
    /// Array elements joined with `|`; query only.
    PipeDelimited,
    /// `name[key]=value` for objects; query only.
    DeepObject,
}

impl Style {
    /// Whether the specification defines this style for `location`.
    pub const fn fits(self, location: ParamLocation) -> bool {
        matches!(
            (location, self),
            (
                ParamLocation::Path,
                Style::Matrix | Style::Label | Style::Simple
            ) | (
                ParamLocation::Query,
                Style::Form | Style::SpaceDelimited | Style::PipeDelimited | Style::DeepObject
            ) | (ParamLocation::Header, Style::Simple)
                | (ParamLocation::Cookie, Style::Form)
        )
    }

    fn as_str(self) -> &'static str {
        match self {
            Style::Matrix => "matrix",
            Style::Label => "label",
            Style::Form => "form",
            Style::Simple => "simple",
            Style::SpaceDelimited => "spaceDelimited",
            Style::PipeDelimited => "pipeDelimited",
            Style::DeepObject => "deepObject",
        }
    }
}

/// How one parameter is serialized: its location, `style`, `explode` and `allowReserved`.
///
/// ```
/// use forge_runtime::{ParamLocation, ParamStyle, Style};
///
/// const IDS: ParamStyle = ParamStyle::new(ParamLocation::Query, Style::PipeDelimited, false);
/// assert_eq!(IDS.serialize("id", &[1, 2, 3]).unwrap().wire_text(), "id=1|2|3");
/// // The defaults: form and exploded for query and cookie, simple and not exploded else.
/// assert_eq!(
///     ParamStyle::default_for(ParamLocation::Query),
///     ParamStyle::new(ParamLocation::Query, Style::Form, true)
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParamStyle {
    /// Where the parameter goes.
    pub location: ParamLocation,
    /// The `style`; one that does not fit `location` is rendered as the location's default.
    pub style: Style,
    /// The `explode` flag.
    pub explode: bool,
    /// `allowReserved` (query only): RFC 3986 reserved characters and `%XX` triples in
    /// values are sent as they are, except those that would change the query's structure.
    pub allow_reserved: bool,
}

impl ParamStyle {
    /// A style without `allowReserved`.
    pub const fn new(location: ParamLocation, style: Style, explode: bool) -> Self {
        ParamStyle {
            location,
            style,
            explode,
            allow_reserved: false,
        }
    }

    /// The same style with `allowReserved` set to `allow`.
    pub const fn with_allow_reserved(mut self, allow: bool) -> Self {
        self.allow_reserved = allow;
        self
    }

    /// The specification's defaults for `location`: `form` with `explode: true` for query
    /// and cookie, `simple` with `explode: false` for path and header.
    pub const fn default_for(location: ParamLocation) -> Self {
        match location {
            ParamLocation::Query | ParamLocation::Cookie => Self::new(location, Style::Form, true),
            ParamLocation::Path | ParamLocation::Header => {
                Self::new(location, Style::Simple, false)
            }
        }
    }

    /// The style actually used: `style` when it fits the location, else the default's.
    fn effective(self) -> Style {
        if self.style.fits(self.location) {
            self.style
        } else {
            Self::default_for(self.location).style
        }
    }

    /// Serializes `value` as the parameter `name` (OpenAPI 3.0.3, Parameter Object, `style` and `explode`).
    ///
    /// # Errors
    ///
    /// A message naming the parameter (never its value) when the value fails to serialize,
    /// nests arrays or objects where the style cannot, or is `null` in a path.
    pub fn serialize<T: Serialize + ?Sized>(
        self,
        name: &str,
        value: &T,
    ) -> Result<Serialized, String> {
        serialize(name, value, self)
    }
}

/// A serialized parameter, ready to be put in place; every part is already percent-encoded
/// as its location requires (OpenAPI 3.0.3, Parameter Object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Serialized {
    /// The text that replaces `{name}` in the path template (with its `;` or `.` prefix).
    Path(String),
    /// The query's `name=value` pairs, in order (none for an absent value).
    Query(Vec<(String, String)>),
    /// The header's value (`None` for an absent value).
    Header(Option<String>),
    /// The cookies' `name=value` pairs, in order.
    Cookie(Vec<(String, String)>),
}

impl Serialized {
    /// The text as it appears on the wire: a path part as is, query pairs joined with `&`,
    /// a header value (empty when absent), cookie pairs joined with `; `.
    pub fn wire_text(&self) -> String {
        let join = |pairs: &[(String, String)], separator: &str| {
            pairs
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join(separator)
        };
        match self {
            Serialized::Path(text) => text.clone(),
            Serialized::Query(pairs) => join(pairs, "&"),
            Serialized::Header(value) => value.clone().unwrap_or_default(),
            Serialized::Cookie(pairs) => join(pairs, "; "),
        }
    }
}

/// Serializes `value` as the parameter `name` with `style` (OpenAPI 3.0.3, Parameter Object, `style` and `explode`).
///
/// ```
/// use forge_runtime::{serialize, ParamLocation, ParamStyle, Style};
/// use serde_json::json;
///
/// let filter = json!({"status": "open", "owner": "a&b"});
/// let form = ParamStyle::default_for(ParamLocation::Query);
/// let deep = ParamStyle::new(ParamLocation::Query, Style::DeepObject, true);
/// assert_eq!(serialize("filter", &filter, form).unwrap().wire_text(), "status=open&owner=a%26b");
/// assert_eq!(
///     serialize("filter", &filter, deep).unwrap().wire_text(),
///     "filter[status]=open&filter[owner]=a%26b"
/// );
/// let matrix = ParamStyle::new(ParamLocation::Path, Style::Matrix, true);
/// assert_eq!(serialize("id", &[1, 2], matrix).unwrap().wire_text(), ";id=1;id=2");
/// assert!(serialize("id", &None::<i32>, matrix).is_err());
/// ```
///
/// # Errors
///
/// As [`ParamStyle::serialize`].
pub fn serialize<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: ParamStyle,
) -> Result<Serialized, String> {
    let location = style.location.as_str();
    let value = serde_json::to_value(value)
        .map_err(|e| format!("{location} parameter `{name}` could not be serialized: {e}"))?;
    let effective = style.effective();
    if effective == Style::DeepObject {
        if let Value::Object(fields) = &value {
            let mut pairs = Vec::new();
            deep_object(&encode_query(name, false), fields, &mut pairs);
            return Ok(Serialized::Query(pairs));
        }
    }
    let shape = Shape::of(&value).ok_or_else(|| {
        format!(
            "{location} parameter `{name}` holds nested arrays or objects, which the `{}` style \
             cannot represent (OpenAPI 3.0.3, Style Values)",
            effective.as_str()
        )
    })?;
    Ok(match style.location {
        ParamLocation::Path => match shape {
            Shape::Absent => {
                return Err(format!(
                    "path parameter `{name}` is null; a path needs a value"
                ))
            }
            shape => Serialized::Path(path(name, &shape, effective, style.explode)),
        },
        ParamLocation::Query => Serialized::Query(query(
            name,
            &shape,
            effective,
            style.explode,
            style.allow_reserved,
        )),
        ParamLocation::Header => Serialized::Header(header(&shape, style.explode)),
        ParamLocation::Cookie => Serialized::Cookie(cookie(name, &shape, style.explode)),
    })
}

/// A value reduced to what the styles (other than deepObject) can render: text leaves.
enum Shape {
    Absent,
    Scalar(String),
    List(Vec<String>),
    Map(Vec<(String, String)>),
}

impl Shape {
    /// `None` when an array or object holds another array or object.
    fn of(value: &Value) -> Option<Shape> {
        Some(match value {
            Value::Null => Shape::Absent,
            Value::Array(items) => Shape::List(
                items
                    .iter()
                    .filter(|item| !item.is_null())
                    .map(scalar_text)
                    .collect::<Option<_>>()?,
            ),
            Value::Object(fields) => Shape::Map(
                fields
                    .iter()
                    .filter(|(_, value)| !value.is_null())
                    .map(|(key, value)| Some((key.clone(), scalar_text(value)?)))
                    .collect::<Option<_>>()?,
            ),
            scalar => Shape::Scalar(scalar_text(scalar)?),
        })
    }
}

/// Text of a scalar; `None` for arrays and objects (and `null`).
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Everything except the RFC 3986 unreserved characters (`ALPHA DIGIT - . _ ~`).
pub(crate) const UNRESERVED_ONLY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// With `allowReserved`: the reserved characters that cannot change a query's structure stay.
const QUERY_RESERVED_ALLOWED: &AsciiSet = &UNRESERVED_ONLY
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// Inside cookie values: what RFC 6265 `cookie-octet` excludes, and `%` so it stays
/// reversible.
const COOKIE_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'%')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(0x7f);

/// Cookie names taken from object keys (exploded form): also `=`.
const COOKIE_NAME: &AsciiSet = &COOKIE_VALUE.add(b'=');

fn encode(text: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(text, set).to_string()
}

/// A path value: unreserved characters only; in `label` also `.`, the separator.
fn encode_path(text: &str, style: Style) -> String {
    let encoded = encode(text, UNRESERVED_ONLY);
    if style == Style::Label {
        encoded.replace('.', "%2E")
    } else {
        encoded
    }
}

/// A query name, key or value. With `allow_reserved`, reserved characters that keep the
/// query's structure and well-formed `%XX` triples pass through (RFC 6570 reserved expansion).
fn encode_query(text: &str, allow_reserved: bool) -> String {
    if !allow_reserved {
        return encode(text, UNRESERVED_ONLY);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        out.push_str(&encode(&rest[..at], QUERY_RESERVED_ALLOWED));
        let triple = rest
            .get(at..at + 3)
            .filter(|t| t.as_bytes()[1..].iter().all(u8::is_ascii_hexdigit));
        match triple {
            Some(triple) => {
                out.push_str(triple);
                rest = &rest[at + 3..];
            }
            None => {
                out.push_str("%25");
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(&encode(rest, QUERY_RESERVED_ALLOWED));
    out
}

/// The parts of a list, or of an object as `k, v, k, v` (not exploded) or `k=v` (exploded).
fn parts(shape: &Shape, explode: bool, encode: impl Fn(&str) -> String) -> Vec<String> {
    match shape {
        Shape::Absent => Vec::new(),
        Shape::Scalar(text) => vec![encode(text)],
        Shape::List(items) => items.iter().map(|item| encode(item)).collect(),
        Shape::Map(fields) if explode => fields
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
            .collect(),
        Shape::Map(fields) => fields
            .iter()
            .flat_map(|(key, value)| [encode(key), encode(value)])
            .collect(),
    }
}

fn path(name: &str, shape: &Shape, style: Style, explode: bool) -> String {
    let enc = |text: &str| encode_path(text, style);
    match style {
        Style::Label => {
            let parts = parts(shape, explode, enc);
            if parts.is_empty() {
                String::new()
            } else {
                format!(".{}", parts.join("."))
            }
        }
        Style::Matrix => {
            let name = enc(name);
            let pair = |value: &str| {
                if value.is_empty() {
                    format!(";{name}")
                } else {
                    format!(";{name}={value}")
                }
            };
            match shape {
                Shape::List(items) if items.is_empty() => String::new(),
                Shape::Map(fields) if fields.is_empty() => String::new(),
                Shape::List(items) if explode => {
                    items.iter().map(|item| pair(&enc(item))).collect()
                }
                Shape::Map(fields) if explode => fields
                    .iter()
                    .map(|(key, value)| format!(";{}={}", enc(key), enc(value)))
                    .collect(),
                shape => pair(&parts(shape, false, enc).join(",")),
            }
        }
        // Simple, and the default for styles that do not belong in a path.
        _ => match shape {
            Shape::Scalar(text) => crate::params::encode_segment(text),
            shape => parts(shape, explode, enc).join(","),
        },
    }
}

fn query(
    name: &str,
    shape: &Shape,
    style: Style,
    explode: bool,
    allow_reserved: bool,
) -> Vec<(String, String)> {
    let enc = |text: &str| encode_query(text, allow_reserved);
    let name = encode_query(name, false);
    let separator = match style {
        Style::SpaceDelimited if !explode => "%20",
        Style::PipeDelimited if !explode => "|",
        Style::Form if !explode => ",",
        // Exploded, deepObject on a non-object: one pair per element or field.
        _ => {
            return match shape {
                Shape::Absent => Vec::new(),
                Shape::Scalar(text) => vec![(name, enc(text))],
                Shape::List(items) => items.iter().map(|item| (name.clone(), enc(item))).collect(),
                Shape::Map(fields) => fields
                    .iter()
                    .map(|(key, value)| (encode_query(key, false), enc(value)))
                    .collect(),
            }
        }
    };
    let parts = parts(shape, false, enc);
    match shape {
        Shape::Absent => Vec::new(),
        Shape::Scalar(_) => vec![(name, parts.concat())],
        _ if parts.is_empty() => Vec::new(),
        _ => vec![(name, parts.join(separator))],
    }
}

/// `name[key]=value` pairs; nested objects add `[key]`s, arrays repeat the name.
fn deep_object(name: &str, fields: &Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in fields {
        let key = format!("{name}[{}]", encode_query(key, false));
        deep_value(&key, value, out);
    }
}

fn deep_value(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(fields) => deep_object(key, fields, out),
        Value::Array(items) => {
            for item in items {
                deep_value(key, item, out);
            }
        }
        scalar => {
            out.extend(scalar_text(scalar).map(|text| (key.to_owned(), encode_query(&text, false))))
        }
    }
}

fn header(shape: &Shape, explode: bool) -> Option<String> {
    match shape {
        Shape::Absent => None,
        // A single value is the whole header: no separator to confuse it with.
        Shape::Scalar(text) => Some(text.clone()),
        shape => {
            let parts = parts(shape, explode, encode_header_part);
            (!parts.is_empty()).then(|| parts.join(","))
        }
    }
}

/// A part of an array or object header value: only the delimiters and `%` are encoded; a
/// character no header may hold stays, so the request fails as it does for a single value.
fn encode_header_part(text: &str) -> String {
    text.replace('%', "%25")
        .replace(',', "%2C")
        .replace('=', "%3D")
}

fn cookie(name: &str, shape: &Shape, explode: bool) -> Vec<(String, String)> {
    let enc = |text: &str| encode(text, COOKIE_VALUE);
    let name = encode(name, COOKIE_NAME);
    match shape {
        Shape::Absent => Vec::new(),
        Shape::Scalar(text) => vec![(name, enc(text))],
        Shape::List(items) if explode => {
            items.iter().map(|item| (name.clone(), enc(item))).collect()
        }
        Shape::Map(fields) if explode => fields
            .iter()
            .map(|(key, value)| (encode(key, COOKIE_NAME), enc(value)))
            .collect(),
        shape => {
            let parts = parts(shape, false, enc);
            if parts.is_empty() {
                Vec::new()
            } else {
                vec![(name, parts.join(","))]
            }
        }
    }
}
