//! The intermediate representation: plain data between lowering and emission.
//!
//! Everything here is already decided: names are valid unique Rust identifiers, `$ref`s are
//! resolved to [`TypeId`]s, optionality is settled. The IR derives `Debug` so lowering can be
//! inspected on its own; it never prints code (that is `emit`'s job).

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers in spec order; the first is the default base URL.
    pub servers: Vec<Server>,
    /// Supported security schemes in spec order.
    pub security: Vec<SecurityScheme>,
    /// The security requirements that name two or more schemes, all of them supported and
    /// able to travel on one request: the document's `security`, then each operation's in
    /// operation order, each requirement in its list's order; a requirement naming the same
    /// schemes as an earlier one (in any order) is left out. A requirement of one scheme is
    /// that scheme's own setter.
    pub security_requirements: Vec<SecurityRequirement>,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// Operations in spec order (paths, then methods in a fixed order).
    pub operations: Vec<Operation>,
    /// JSON examples the spec gives for bodies, with the type each should decode into.
    pub examples: Vec<Example>,
    /// The client-side rate limit the spec states (`x-rate-limit`), as the client default.
    pub rate_limit: Option<RateLimit>,
    /// The requests the API itself sends to a receiver the user runs: the operations'
    /// `callbacks` (OpenAPI 3.0 §4.7.10.15) in operation order, then the document's
    /// `webhooks` (3.1 §4.8.1) in spec order; each path item's methods in a fixed order.
    pub events: Vec<Event>,
    /// Lossy mappings made while lowering (the output compiles, but is less precise than the
    /// spec meant), each located by JSON pointer.
    pub warnings: Vec<crate::error::Diagnostic>,
    /// How precisely the schema positions of the spec were typed.
    pub coverage: Coverage,
}

/// Typed coverage of one lowering: every schema position (struct field, parameter, request
/// body, success or error response body, array item, map value) counted once per place in
/// the spec, by what its type became.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Positions with a precise Rust type (anything but any-JSON).
    pub precise: usize,
    /// Positions typed as any JSON value because the spec asks for any value there (`{}`, a
    /// schema without `type`, a free-form object, `additionalProperties: true`, no schema).
    pub asked_any: usize,
    /// Positions typed as any JSON value although the spec meant something narrower (a
    /// dangling `$ref`, a construct the generator cannot express); each has a warning.
    pub fallback: usize,
    /// Why the fallbacks happened: a short reason and how many positions it covers, sorted
    /// by reason.
    pub fallback_reasons: std::collections::BTreeMap<String, usize>,
}

impl Coverage {
    /// All positions counted.
    pub fn total(&self) -> usize {
        self.precise + self.asked_any + self.fallback
    }
}

/// A rate limit: at most `requests` per `period_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// The period, in seconds.
    pub period_seconds: u64,
}

/// Which statuses a documented error response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A range such as `4XX` (the hundreds digit).
    Range(u16),
    /// `default`: every status not listed otherwise.
    Default,
}

/// A documented error response.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Variant name in the error enum.
    pub variant: String,
    /// The body's type.
    pub ty: TypeRef,
}

/// How an operation pages through a list with a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The params-struct field that carries the cursor.
    pub cursor_param: String,
    /// The response field with the next page's cursor (`None` or empty when done).
    pub cursor_field: String,
    /// Whether that field is an `Option`.
    pub cursor_optional: bool,
    /// The response field with the page's items.
    pub items_field: String,
    /// Whether that field is an `Option`.
    pub items_optional: bool,
}

/// A JSON example from the spec and the type it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// A name unique among the examples (a valid snake-case identifier).
    pub name: String,
    /// The type the example should decode into.
    pub ty: TypeRef,
    /// The example, as compact JSON.
    pub json: String,
    /// JSON pointer of the example.
    pub pointer: String,
}

/// One entry of `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// Variant name of the generated `Server` enum.
    pub variant: String,
    /// Absolute URL, without a trailing `/`, with server variables replaced by their defaults.
    pub url: String,
    /// The spec's description.
    pub description: Option<String>,
}

/// How a security scheme carries the credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic ...`.
    Basic,
    /// An API key in the named query parameter.
    ApiKeyQuery(String),
    /// An API key in the named header.
    ApiKeyHeader(String),
}

/// A supported entry of `components.securitySchemes`.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`.
    pub key: String,
    /// Builder method name (snake case of the key).
    pub method: String,
    /// Where the credential goes.
    pub kind: AuthKind,
    /// The spec's description.
    pub description: Option<String>,
}

/// A security requirement that names several schemes, all of which a request must satisfy
/// together (OpenAPI 3.0.3, "Security Requirement Object").
#[derive(Debug, Clone)]
pub struct SecurityRequirement {
    /// The keys of its schemes in `components.securitySchemes`, in the requirement's order;
    /// two or more, each the [`SecurityScheme::key`] of an entry of [`Api::security`], no two
    /// of them sent in the same header (names compared without case) or query parameter.
    pub schemes: Vec<String>,
    /// Builder method name that sets every credential of the requirement at once; distinct
    /// from the schemes' own methods and the builder's fixed ones.
    pub method: String,
    /// JSON pointer of the first place the requirement appears.
    pub pointer: String,
}

/// A named type of the generated `types` module.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name, unique in the module.
    pub name: String,
    /// The spec's title and description, joined.
    pub doc: Option<String>,
    /// JSON pointer of the schema this type came from.
    pub pointer: String,
    /// What the type is.
    pub kind: TypeKind,
}

/// The shape of a [`TypeDef`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named properties.
    Struct(Vec<Field>),
    /// An integer enum (`type: integer` with `enum`); unknown values land in the catch-all
    /// variant, and the wire form is a JSON number both ways.
    IntEnum {
        /// Known values in spec order.
        variants: Vec<IntVariant>,
        /// Name of the `(i64)` variant that keeps values the spec does not list.
        catch_all: String,
    },
    /// A string enum; unknown values land in the catch-all variant.
    StringEnum {
        /// Known values in spec order.
        variants: Vec<Variant>,
        /// Name of the `(String)` variant that keeps values the spec does not list.
        catch_all: String,
    },
    /// A named alias of another type (`pub type X = ...;`).
    Alias(TypeRef),
    /// `oneOf` / `anyOf`: one of several shapes.
    Union {
        /// The alternatives, most specific first (the order decoding tries them in).
        variants: Vec<UnionVariant>,
        /// The discriminator property, when every variant has tag values: decoding then
        /// dispatches on the tag instead of trying variants in turn.
        tag: Option<String>,
        /// Name of the variant that keeps a value whose tag no variant claims (tagged only).
        catch_all: String,
    },
}

/// One alternative of a [`TypeKind::Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The variant's type.
    pub ty: TypeRef,
    /// Discriminator values that select this variant (tagged unions only).
    pub tag_values: Vec<String>,
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust field name.
    pub name: String,
    /// Property name on the wire.
    pub wire: String,
    /// Type of the value when present and not null.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// The spec's `default`, when it can be expressed as a literal of `ty`.
    pub default: Option<Literal>,
    /// The spec's description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Collects the properties the schema does not name (`additionalProperties` next to
    /// `properties`): `ty` is then the map, and the field is `#[serde(flatten)]`.
    pub flatten: bool,
    /// The validation keywords of the property's schema.
    pub constraints: Constraints,
}

/// The validation keywords a schema states for its values (JSON Schema Validation, as the
/// OpenAPI 3.0.3 "Schema Object" adopts them), at one position: a property, a parameter, an
/// array's items. The generated client does not enforce them (what a server accepts is the
/// server's rule, and a stricter client would refuse answers the server sends); they guide the
/// values the conformance tests make up. For a `$ref`, they are the referenced schema's.
#[derive(Clone, Default, PartialEq)]
pub struct Constraints {
    /// `format`, when it is not already the Rust type (`date-time`, `date`, `binary`,
    /// `int32`..: those are): `uuid`, `email`, `uri`, `byte`, `ipv4`...
    pub format: Option<String>,
    /// `pattern` (an ECMA 262 regular expression, unanchored).
    pub pattern: Option<String>,
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
    /// `minimum`, and whether it is exclusive (`exclusiveMinimum`).
    pub minimum: Option<(f64, bool)>,
    /// `maximum`, and whether it is exclusive (`exclusiveMaximum`).
    pub maximum: Option<(f64, bool)>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// The constraints of an array's items.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// Whether no keyword is set.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// Only the keywords that are set, so that the IR's debug dump stays readable.
impl std::fmt::Debug for Constraints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Constraints");
        if let Some(format) = &self.format {
            out.field("format", format);
        }
        if let Some(pattern) = &self.pattern {
            out.field("pattern", pattern);
        }
        if let Some(min_length) = &self.min_length {
            out.field("min_length", min_length);
        }
        if let Some(max_length) = &self.max_length {
            out.field("max_length", max_length);
        }
        if let Some(minimum) = &self.minimum {
            out.field("minimum", minimum);
        }
        if let Some(maximum) = &self.maximum {
            out.field("maximum", maximum);
        }
        if let Some(multiple_of) = &self.multiple_of {
            out.field("multiple_of", multiple_of);
        }
        if let Some(min_items) = &self.min_items {
            out.field("min_items", min_items);
        }
        if let Some(items) = &self.items {
            out.field("items", items);
        }
        out.finish()
    }
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// Value on the wire.
    pub wire: String,
}

/// One value of an integer enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntVariant {
    /// Rust variant name (from `x-enum-varnames` / `x-enum-names`, else `V1`, `Minus1`).
    pub name: String,
    /// Value on the wire.
    pub value: i64,
}

/// A literal the emitter can write as a Rust expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// An integer (wide enough for every [`IntKind`]).
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A variant (by Rust name) of a string enum.
    Variant(TypeId, String),
}

/// Width and signedness of an integer type, from `format` or from `minimum`/`maximum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntKind {
    /// `i8` (`format: int8`)
    I8,
    /// `i16` (`format: int16`)
    I16,
    /// `i32` (`format: int32`)
    I32,
    /// `i64` (`format: int64`, and integers without format or bounds)
    I64,
    /// `i128`: bounds that reach beyond both `i64` and `u64`.
    I128,
    /// `u8` (`format: uint8`)
    U8,
    /// `u16` (`format: uint16`)
    U16,
    /// `u32` (`format: uint32`, or bounds within `0..=u32::MAX`)
    U32,
    /// `u64` (`format: uint64`, or a non-negative range beyond `i64::MAX`)
    U64,
}

impl IntKind {
    /// The Rust primitive's name.
    pub fn rust_name(self) -> &'static str {
        match self {
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::I128 => "i128",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }
    }

    /// The smallest and largest value of the type.
    pub fn bounds(self) -> (i128, i128) {
        match self {
            IntKind::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntKind::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntKind::I128 => (i128::MIN, i128::MAX),
            IntKind::U8 => (0, u8::MAX.into()),
            IntKind::U16 => (0, u16::MAX.into()),
            IntKind::U32 => (0, u32::MAX.into()),
            IntKind::U64 => (0, u64::MAX.into()),
        }
    }

    /// Whether `value` is a value of the type.
    pub fn holds(self, value: i128) -> bool {
        let (low, high) = self.bounds();
        (low..=high).contains(&value)
    }
}

/// Width of a floating-point type, from `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatKind {
    /// `f32` (`format: float`)
    F32,
    /// `f64` (`format: double`, and numbers without format)
    F64,
}

/// A type as used in a field, parameter, body or response.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// An integer.
    Int(IntKind),
    /// A floating-point number.
    Float(FloatKind),
    /// A date-time with offset (offset-less input read as UTC).
    DateTime,
    /// A calendar date.
    Date,
    /// Any JSON value.
    Json,
    /// Raw bytes (`format: binary`): a file in multipart bodies.
    Binary,
    /// A named type.
    Named(TypeId),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>` in a position that is not a struct field (array items, map values).
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// Whether decoding this type needs the lenient deserializer: for dates and date-times
    /// always (offset-less date-times read as UTC), for integers and numbers when
    /// `lenient_numbers` is set (strings of digits read as numbers).
    pub fn needs_lenient(&self, lenient_numbers: bool) -> bool {
        match self {
            TypeRef::DateTime | TypeRef::Date => true,
            TypeRef::Int(_) | TypeRef::Float(_) => lenient_numbers,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.needs_lenient(lenient_numbers)
            }
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Json
            | TypeRef::Binary
            | TypeRef::Named(_) => false,
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// A query-string pair.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name (argument or field).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// `required: true` (always true for path parameters).
    pub required: bool,
    /// The spec's description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The `style` (the location's default when the spec gives none or one that does not
    /// belong to the location).
    pub style: ParamStyle,
    /// `explode`, defaulted as the specification says: true for `form`, false otherwise.
    pub explode: bool,
    /// `allowReserved` (query parameters only; false elsewhere).
    pub allow_reserved: bool,
    /// The validation keywords of the parameter's schema.
    pub constraints: Constraints,
}

impl Param {
    /// Whether the parameter uses its location's default serialization (OpenAPI 3.0.3,
    /// Parameter Object: `form` and exploded for query and cookie, `simple` and not exploded
    /// for path and header; no `allowReserved`).
    pub fn has_default_style(&self) -> bool {
        let (style, explode) = ParamStyle::default_for(self.location);
        self.style == style && self.explode == explode && !self.allow_reserved
    }
}

/// A parameter's `style` (OpenAPI 3.0.3, Parameter Object, "Style Values").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `;name=value` (path).
    Matrix,
    /// `.value` (path).
    Label,
    /// `name=value` (query, cookie).
    Form,
    /// `value`, compounds joined with `,` (path, header).
    Simple,
    /// Array elements joined with a space (query).
    SpaceDelimited,
    /// Array elements joined with `|` (query).
    PipeDelimited,
    /// `name[key]=value` (query objects).
    DeepObject,
}

impl ParamStyle {
    /// The default style of a location and its default `explode`.
    pub fn default_for(location: ParamLocation) -> (ParamStyle, bool) {
        match location {
            ParamLocation::Query | ParamLocation::Cookie => (ParamStyle::Form, true),
            ParamLocation::Path | ParamLocation::Header => (ParamStyle::Simple, false),
        }
    }

    /// The name the specification uses.
    pub fn spec_name(self) -> &'static str {
        match self {
            ParamStyle::Matrix => "matrix",
            ParamStyle::Label => "label",
            ParamStyle::Form => "form",
            ParamStyle::Simple => "simple",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            ParamStyle::PipeDelimited => "pipeDelimited",
            ParamStyle::DeepObject => "deepObject",
        }
    }
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, sent as written in the spec.
    Literal(String),
    /// The path parameter at this index of [`Operation::params`].
    Param(usize),
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// A JSON body of this type.
    Json(TypeRef),
    /// A text body (`text/*`, XML), returned as a `String`.
    Text(String),
    /// A `text/event-stream` body: a stream of server-sent events whose `data` is JSON of
    /// this type (the schema, or OpenAPI 3.2 `itemSchema`).
    EventStream(TypeRef),
    /// Any other body, returned as bytes; the media type is what the client accepts.
    Bytes(String),
    /// No body the client needs to read.
    Empty,
    /// Documented 2xx answers whose bodies differ (OpenAPI 3.0.3 §4.7.16, Responses Object:
    /// one response per status): the client returns the enum `name`, one variant per answer,
    /// and decodes the body by the status it gets.
    ByStatus {
        /// Name of the per-operation enum.
        name: String,
        /// The answers, codes before the `2XX` range, codes in ascending order.
        variants: Vec<SuccessVariant>,
    },
}

impl Success {
    /// The JSON body types this success reads (none for text, bytes or no body).
    pub fn json_types(&self) -> Vec<&TypeRef> {
        match self {
            Success::Json(ty) | Success::EventStream(ty) => vec![ty],
            Success::ByStatus { variants, .. } => {
                variants.iter().flat_map(|v| v.body.json_types()).collect()
            }
            Success::Text(_) | Success::Bytes(_) | Success::Empty => Vec::new(),
        }
    }

    /// [`json_types`](Self::json_types), mutably.
    pub fn json_types_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            Success::Json(ty) | Success::EventStream(ty) => vec![ty],
            Success::ByStatus { variants, .. } => variants
                .iter_mut()
                .flat_map(|v| v.body.json_types_mut())
                .collect(),
            Success::Text(_) | Success::Bytes(_) | Success::Empty => Vec::new(),
        }
    }
}

/// One documented 2xx answer of a [`Success::ByStatus`] operation.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessVariant {
    /// The status it answers: [`StatusMatch::Code`] (200..=299) or [`StatusMatch::Range`] `2`.
    pub status: StatusMatch,
    /// The enum variant, from the status' reason phrase (RFC 9110 §15.3), e.g. `Created`.
    pub variant: String,
    /// The response's `description`.
    pub doc: Option<String>,
    /// What the answer carries (never [`Success::ByStatus`]).
    pub body: Success,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON of this media type (`application/json` or a `+json` type, RFC 6839 §3.1), sent
    /// as the spec documents it.
    Json(String),
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: one part per property.
    Multipart,
    /// A text body of this media type.
    Text(String),
    /// A raw byte body of this media type.
    Bytes(String),
}

/// Where the spec declares an [`Event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventSource {
    /// A `callbacks` entry of an operation (OpenAPI 3.0 §4.7.10.15, Callback Object).
    Callback {
        /// The `operationId` of the operation that registers the callback.
        operation: String,
        /// The key under the operation's `callbacks`.
        name: String,
        /// The runtime expression that gives the receiver's URL.
        expression: String,
    },
    /// A `webhooks` entry of the document (OpenAPI 3.1 §4.8.1).
    Webhook {
        /// The key under `webhooks`.
        key: String,
    },
}

/// How the API signs an event, from the operation's `x-webhook-signature` extension
/// (`scheme`: `jwt-hs256` or `standard-webhooks`; `unsigned: plain-json` when it may also
/// send unsigned events; no extension: unsigned only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    /// The body is a compact JWT signed with HS256 (RFC 7519, RFC 7518 §3.2).
    JwtHs256,
    /// Standard Webhooks: HMAC-SHA256 over id, timestamp and body in the `webhook-*` headers.
    StandardWebhooks,
}

/// One request the API sends to a receiver the user runs, one per method of its path item.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Where the spec declares it.
    pub source: EventSource,
    /// Snake-case name, unique among the events: the callback operation's `operationId`,
    /// else the callback's name; the webhook's key.
    pub name: String,
    /// The HTTP method, lowercase.
    pub method: String,
    /// Summary and description.
    pub doc: Option<String>,
    /// What the API sends, lowered as a request body is; `None` without a body.
    pub body: Option<Body>,
    /// The declared signature scheme; `None` when the spec declares none.
    pub signature: Option<SignatureScheme>,
    /// Whether unsigned (plain JSON) events are accepted: with no secret when a scheme is
    /// declared with `unsigned: plain-json`, always when none is declared.
    pub unsigned: bool,
    /// JSON pointer of the operation, e.g. `/webhooks/newPet/post`.
    pub pointer: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// How it goes on the wire.
    pub encoding: BodyEncoding,
    /// Its type (`String` for text, [`TypeRef::Binary`] for bytes).
    pub ty: TypeRef,
}

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// Client method name.
    pub method_name: String,
    /// Name of the operation's descriptor constant.
    pub const_name: String,
    /// Name of the operation's request builder (in the `builders` module).
    pub builder: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// The path template as written in the spec.
    pub path: String,
    /// The path template split into literals and parameters.
    pub path_parts: Vec<PathPart>,
    /// Summary and description.
    pub doc: Option<String>,
    /// Parameters (path ones first, in path order; then query, header and cookie ones in spec
    /// order).
    pub params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// What a 2xx answer carries.
    pub success: Success,
    /// The `Accept` header to send when it is not the runtime's default `application/json`:
    /// every media type of the success answers the client reads, in status order (RFC 9110
    /// §12.5.1), e.g. `application/scim+json` or `application/json, text/csv`.
    pub accept: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Documented non-2xx answers with a JSON body, decoded into [`Operation::error_enum`].
    pub errors: Vec<ErrorResponse>,
    /// Name of the typed error enum (used only when `errors` is not empty).
    pub error_enum: String,
    /// Set when the operation follows a cursor pattern: its request builder gets a `stream`
    /// method.
    pub pagination: Option<Pagination>,
    /// The spec's `tags`, in spec order.
    pub tags: Vec<String>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

impl Operation {
    /// The parameters that go into the parameters struct (query, header and cookie ones).
    pub fn struct_params(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
    }
}

/// How deep [`resolve_aliases`] follows aliases before giving up: lowering breaks alias
/// cycles only at its end, so a chain may still loop while it runs.
const ALIAS_DEPTH: usize = 32;

/// `ty` with aliases followed: the type an alias chain ends at (a named non-alias type, or
/// a type that is not named), or `None` for a chain that loops or names an unknown type.
/// `kind_of` gives the kind of a named type (`None` while it is not lowered yet).
pub fn resolve_aliases<'a>(
    ty: &'a TypeRef,
    kind_of: impl Fn(TypeId) -> Option<&'a TypeKind>,
) -> Option<&'a TypeRef> {
    let mut current = ty;
    for _ in 0..ALIAS_DEPTH {
        match current {
            TypeRef::Named(id) => match kind_of(*id)? {
                TypeKind::Alias(inner) => current = inner,
                _ => return Some(current),
            },
            _ => return Some(current),
        }
    }
    None
}

impl Api {
    /// The kind of the named type `id`, if it exists.
    pub fn kind(&self, id: TypeId) -> Option<&TypeKind> {
        self.types.get(id.0).map(|def| &def.kind)
    }

    /// `ty` with aliases followed (see [`resolve_aliases`]).
    pub fn resolve<'a>(&'a self, ty: &'a TypeRef) -> Option<&'a TypeRef> {
        resolve_aliases(ty, |id| self.kind(id))
    }

    /// The fields of the struct `ty` names, directly or through aliases.
    pub fn struct_fields<'a>(&'a self, ty: &'a TypeRef) -> Option<&'a [Field]> {
        match self.resolve(ty)? {
            TypeRef::Named(id) => match self.kind(*id)? {
                TypeKind::Struct(fields) => Some(fields),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_their_end_and_loops_to_none() {
        let kinds = [
            TypeKind::Alias(TypeRef::Named(TypeId(1))),
            TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::String))),
            TypeKind::Alias(TypeRef::Named(TypeId(3))),
            TypeKind::Alias(TypeRef::Named(TypeId(2))),
            TypeKind::Struct(Vec::new()),
        ];
        let kind_of = |id: TypeId| kinds.get(id.0);
        let array = TypeRef::Array(Box::new(TypeRef::String));
        assert_eq!(
            resolve_aliases(&TypeRef::Named(TypeId(0)), kind_of),
            Some(&array)
        );
        assert_eq!(
            resolve_aliases(&TypeRef::Named(TypeId(4)), kind_of),
            Some(&TypeRef::Named(TypeId(4)))
        );
        assert_eq!(
            resolve_aliases(&TypeRef::Bool, kind_of),
            Some(&TypeRef::Bool)
        );
        assert_eq!(resolve_aliases(&TypeRef::Named(TypeId(2)), kind_of), None);
        assert_eq!(resolve_aliases(&TypeRef::Named(TypeId(9)), kind_of), None);
    }
}
