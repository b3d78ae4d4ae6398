//! Emission of the `client` module: servers, `Client`, `ClientBuilder`, one method per
//! operation, and the typed error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::krate::Module;
use super::{builders, docs, ident, type_tokens, Context};
use crate::ir::{
    Api, AuthKind, Operation, Param, ParamLocation, SecurityRequirement, StatusMatch, Success,
    TypeRef,
};
use crate::naming::reserved;

/// The `client` module.
pub fn module(cx: &Context) -> Module {
    let api = cx.api;
    let runtime = cx.runtime();
    let servers = servers(api);
    let default_url = api.servers.first().map(|s| s.url.as_str()).unwrap_or("");
    let default_note = match api.servers.first() {
        Some(server) => format!("Requests go to `{}` unless [`ClientBuilder::base_url`] or [`ClientBuilder::server`] says otherwise.", server.url),
        None => "The spec names no server: set one with [`ClientBuilder::base_url`].".to_owned(),
    };
    let error_enums = error_enums(cx);
    let success_enums = success_enums(cx);
    let methods = api.operations.iter().map(|op| method(cx, op));
    let (rate_limit_note, rate_limit_statement) = match api.rate_limit {
        Some(limit) => {
            let requests = limit.requests;
            let seconds = limit.period_seconds;
            (
                format!(
                    "The spec states a rate limit of {requests} requests per {seconds} s; the client \
                     keeps to it unless [`ClientBuilder::rate_limit`] or \
                     [`ClientBuilder::no_rate_limit`] says otherwise."
                ),
                {
                    let requests = proc_macro2::Literal::u32_unsuffixed(requests);
                    let seconds = proc_macro2::Literal::u64_unsuffixed(seconds);
                    quote! {
                        let period = ::std::time::Duration::from_secs(#seconds);
                        let limit = #runtime::RateLimit::new(#requests, period);
                        let inner = inner.rate_limit(limit);
                    }
                },
            )
        }
        None => (
            "No rate limit is applied unless [`ClientBuilder::rate_limit`] sets one.".to_owned(),
            TokenStream::new(),
        ),
    };
    let builder_doc = docs::text(&format!(
        "Starts configuring a client.\n\n{default_note}\n\n{rate_limit_note}\nFailed requests \
         are retried as [`{}`]'s defaults say.",
        cx.options.runtime.text("RetryPolicy")
    ));
    let builder = builder(cx);
    let [builder_fn, from_core, base_url, with_options] = [
        reserved::BUILDER,
        reserved::FROM_CORE,
        reserved::BASE_URL,
        reserved::WITH_OPTIONS,
    ]
    .map(ident);
    let items = quote! {
        #servers

        /// A client for the API. Cheap to clone: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(super) core: #runtime::ClientCore,
        }

        impl Client {
            #builder_doc
            pub fn #builder_fn() -> ClientBuilder {
                let inner = #runtime::ClientCoreBuilder::new(#default_url);
                #rate_limit_statement
                ClientBuilder { inner }
            }

            /// Wraps a runtime core that was configured elsewhere.
            pub fn #from_core(core: #runtime::ClientCore) -> Self {
                Client { core }
            }

            /// The base URL requests are sent to.
            pub fn #base_url(&self) -> &str {
                self.core.base_url()
            }

            /// A client whose requests use `options` (timeout, retries) over this one's
            /// settings; it shares this client's connections and rate limiter.
            pub fn #with_options(&self, options: #runtime::RequestOptions) -> Self {
                Client { core: self.core.with_options(options) }
            }

            #(#methods)*
        }

        #builder
        #error_enums
        #success_enums
    };
    Module {
        doc: if api.operations.is_empty() {
            "The HTTP client (the spec has no operations).".to_owned()
        } else {
            "The HTTP client: one method per operation of the spec, returning the \
             operation's request builder (see [`builders`](super::builders))."
                .to_owned()
        },
        items,
    }
}

fn servers(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return TokenStream::new();
    }
    let variants = api.servers.iter().map(|server| {
        let name = ident(&server.variant);
        let doc = docs::outer(server.description.as_deref(), &format!("`{}`", server.url));
        quote! { #doc #name, }
    });
    let arms = api.servers.iter().map(|server| {
        let name = ident(&server.variant);
        let url = &server.url;
        quote! { Server::#name => #url, }
    });
    quote! {
        /// The servers the spec lists; the first is the default.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Server {
            #(#variants)*
        }

        impl Server {
            /// The server's base URL.
            pub const fn url(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

fn builder(cx: &Context) -> TokenStream {
    let api = cx.api;
    let runtime = cx.runtime();
    let retry_doc = docs::text(&format!(
        "Replaces the retry policy (see [`{}`]; `disabled()` turns\nretries off).",
        cx.options.runtime.text("RetryPolicy")
    ));
    let [base_url, server, http_client, retry, rate_limit, no_rate_limit] = [
        reserved::BASE_URL,
        reserved::SERVER,
        reserved::HTTP_CLIENT,
        reserved::RETRY,
        reserved::RATE_LIMIT,
        reserved::NO_RATE_LIMIT,
    ]
    .map(ident);
    let [timeout, connect_timeout, user_agent, build] = [
        reserved::TIMEOUT,
        reserved::CONNECT_TIMEOUT,
        reserved::USER_AGENT,
        reserved::BUILD,
    ]
    .map(ident);
    let server_method = (!api.servers.is_empty()).then(|| {
        quote! {
            /// Sends requests to one of the spec's servers.
            pub fn #server(self, server: Server) -> Self {
                self.#base_url(server.url())
            }
        }
    });
    let replaces = if api.security_requirements.is_empty() {
        "\n\nA client uses one credential: this replaces any set before."
    } else {
        "\n\nA client uses one way of authenticating: this replaces any credentials set \
         before, those of a setter for several schemes included."
    };
    let auth_methods = api.security.iter().map(|scheme| {
        let name = ident(&scheme.method);
        let summary = match &scheme.kind {
            AuthKind::Bearer => "Authenticates with a bearer token (`Authorization: Bearer ...`).".to_owned(),
            AuthKind::Basic => "Authenticates with HTTP basic authentication.".to_owned(),
            AuthKind::ApiKeyQuery(param) => format!("Authenticates with an API key in the `{param}` query parameter."),
            AuthKind::ApiKeyHeader(header) => format!("Authenticates with an API key in the `{header}` header."),
        };
        let mut text = summary;
        if let Some(description) = &scheme.description {
            text.push_str("\n\n");
            text.push_str(description);
        }
        text.push_str(replaces);
        let doc = docs::outer(Some(&text), "");
        match &scheme.kind {
            AuthKind::Bearer => quote! {
                #doc
                pub fn #name(mut self, token: impl Into<String>) -> Self {
                    self.inner = self.inner.auth(#runtime::Auth::bearer(token));
                    self
                }
            },
            AuthKind::Basic => quote! {
                #doc
                pub fn #name(mut self, username: impl Into<String>, password: Option<String>) -> Self {
                    self.inner = self.inner.auth(#runtime::Auth::basic(username, password));
                    self
                }
            },
            AuthKind::ApiKeyQuery(param) => quote! {
                #doc
                pub fn #name(mut self, key: impl Into<String>) -> Self {
                    self.inner = self.inner.auth(#runtime::Auth::api_key_query(#param, key));
                    self
                }
            },
            AuthKind::ApiKeyHeader(header) => quote! {
                #doc
                pub fn #name(mut self, key: impl Into<String>) -> Self {
                    self.inner = self.inner.auth(#runtime::Auth::api_key_header(#header, key));
                    self
                }
            },
        }
    });
    let requirement_methods = api
        .security_requirements
        .iter()
        .map(|requirement| requirement_setter(cx, requirement));
    quote! {
        /// Configures a [`Client`]: base URL, credentials, timeouts, HTTP client.
        pub struct ClientBuilder {
            inner: #runtime::ClientCoreBuilder,
        }

        impl ClientBuilder {
            /// Sends requests to `url` (for example a local mock server); a trailing `/` is ignored.
            pub fn #base_url(mut self, url: impl Into<String>) -> Self {
                self.inner = self.inner.base_url(url);
                self
            }

            #server_method
            #(#auth_methods)*
            #(#requirement_methods)*

            /// Uses a `reqwest::Client` configured by the caller (proxies, TLS roots, ...).
            pub fn #http_client(mut self, client: #runtime::reqwest::Client) -> Self {
                self.inner = self.inner.http_client(client);
                self
            }

            #retry_doc
            pub fn #retry(mut self, policy: #runtime::RetryPolicy) -> Self {
                self.inner = self.inner.retry(policy);
                self
            }

            /// Keeps requests under `limit`, shared by every clone of the client.
            pub fn #rate_limit(mut self, limit: #runtime::RateLimit) -> Self {
                self.inner = self.inner.rate_limit(limit);
                self
            }

            /// Sends requests as fast as they come, without a client-side rate limit.
            pub fn #no_rate_limit(mut self) -> Self {
                self.inner = self.inner.no_rate_limit();
                self
            }

            /// Limits how long a whole request may take.
            pub fn #timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.inner = self.inner.timeout(timeout);
                self
            }

            /// Limits how long connecting may take.
            pub fn #connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.inner = self.inner.connect_timeout(timeout);
                self
            }

            /// Sets the `User-Agent` header.
            pub fn #user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.inner = self.inner.user_agent(user_agent);
                self
            }

            /// Checks the settings and builds the client.
            ///
            /// # Errors
            ///
            /// A [`BuildError`](super::BuildError) when the base URL does not parse, is not
            /// `http`/`https` or has no host, when a credential cannot be sent as a header,
            /// or when the HTTP client cannot be created.
            pub fn #build(self) -> Result<Client, #runtime::BuildError> {
                Ok(Client { core: self.inner.build()? })
            }
        }
    }
}

/// The `ClientBuilder` setter of a security requirement that names several schemes: one
/// argument per credential (`token` for a bearer scheme, `username` and `password` for a
/// basic one, the scheme's own setter name for an API key; lowering makes sure a requirement
/// has at most one scheme in `Authorization`), all sent together as one `Auth::all`.
fn requirement_setter(cx: &Context, requirement: &SecurityRequirement) -> TokenStream {
    let runtime = cx.runtime();
    let name = ident(&requirement.method);
    let quoted = |text: &str| format!("`{}`", text.replace('`', "'"));
    let mut args = Vec::new();
    let mut parts = Vec::new();
    let mut lines = Vec::new();
    let schemes = requirement
        .schemes
        .iter()
        .filter_map(|key| cx.api.security.iter().find(|scheme| &scheme.key == key));
    for scheme in schemes {
        let key = quoted(&scheme.key);
        match &scheme.kind {
            AuthKind::Bearer => {
                args.push(quote! { token: impl Into<String> });
                parts.push(quote! { #runtime::Auth::bearer(token) });
                lines.push(format!(
                    "- `token`: the {key} scheme's bearer token, sent as \
                     `Authorization: Bearer <token>`."
                ));
            }
            AuthKind::Basic => {
                args.push(quote! { username: impl Into<String> });
                args.push(quote! { password: Option<String> });
                parts.push(quote! { #runtime::Auth::basic(username, password) });
                lines.push(format!(
                    "- `username`, `password`: the {key} scheme's HTTP basic credentials, sent \
                     as `Authorization: Basic ...`."
                ));
            }
            AuthKind::ApiKeyQuery(param) => {
                let arg = ident(&scheme.method);
                args.push(quote! { #arg: impl Into<String> });
                parts.push(quote! { #runtime::Auth::api_key_query(#param, #arg) });
                lines.push(format!(
                    "- `{}`: the {key} scheme's API key, sent as the {} query parameter.",
                    scheme.method,
                    quoted(param)
                ));
            }
            AuthKind::ApiKeyHeader(header) => {
                let arg = ident(&scheme.method);
                args.push(quote! { #arg: impl Into<String> });
                parts.push(quote! { #runtime::Auth::api_key_header(#header, #arg) });
                lines.push(format!(
                    "- `{}`: the {key} scheme's API key, sent as the {} header.",
                    scheme.method,
                    quoted(header)
                ));
            }
        }
    }
    let mut keys: Vec<String> = requirement.schemes.iter().map(|key| quoted(key)).collect();
    let last = keys.pop().unwrap_or_default();
    let keys = if keys.is_empty() {
        last
    } else {
        format!("{} and {last}", keys.join(", "))
    };
    let text = format!(
        "Authenticates with the schemes {} together, as a security requirement of the spec \
         asks (OpenAPI 3.0.3, \"Security Requirement Object\": a request must satisfy every \
         scheme of one requirement). Every request carries all of:\n\n{}\n\n\
         A client uses one way of authenticating: this replaces any credentials set before.",
        keys,
        lines.join("\n")
    );
    let doc = docs::text(&text);
    let many_args = too_many_arguments(args.len());
    quote! {
        #doc
        #many_args
        pub fn #name(mut self, #(#args),*) -> Self {
            self.inner = self.inner.auth(#runtime::Auth::all([#(#parts),*]));
            self
        }
    }
}

/// The method of an operation: takes the required inputs (path parameters, required query,
/// header and cookie parameters, the body) and returns the operation's request builder.
fn method(cx: &Context, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let builder = ident(&op.builder);
    let types = quote! { super::types:: };
    let mut args: Vec<TokenStream> = Vec::new();
    let mut fields: Vec<TokenStream> = vec![quote! { client: self }];
    for param in builders::path_params(op) {
        let arg = ident(&param.name);
        let ty = builders::path_param_type(cx, &param.ty);
        args.push(quote! { #arg: #ty });
        fields.push(quote! { #arg });
    }
    for param in required_arguments(op) {
        let arg = ident(&param.name);
        args.push(if param.ty == TypeRef::String {
            quote! { #arg: impl Into<String> }
        } else {
            let ty = type_tokens(cx, &param.ty, &types);
            quote! { #arg: #ty }
        });
    }
    for param in op.struct_params() {
        let field = ident(&param.name);
        fields.push(match (param.required, param.ty == TypeRef::String) {
            (false, _) => quote! { #field: None },
            (true, true) => quote! { #field: #field.into() },
            (true, false) => quote! { #field },
        });
    }
    if let Some(body) = &op.body {
        let ty = builders::body_type(cx, body);
        args.push(quote! { body: #ty });
        fields.push(quote! { body });
    }
    fields.push(quote! { options: None });

    let mut text = op.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.http_method,
        op.path.replace('`', "'"),
        op.id.replace('`', "'")
    ));
    text.push_str("\n\n");
    let optional = op.struct_params().any(|p| !p.required);
    let sent = if matches!(op.success, Success::EventStream(_)) {
        "open its event stream with [`stream`](super::builders::{b}::stream)"
    } else if op.pagination.is_some() {
        "`.await` it for one page, or read every item with \
         [`stream`](super::builders::{b}::stream)"
    } else {
        "`.await` it (or call [`send_with_response`](super::builders::{b}::send_with_response) \
         for the status and headers too)"
    };
    text.push_str(&format!(
        "Returns a [`{b}`](super::builders::{b}) request: {}{}.",
        if optional {
            "set the optional parameters you need on it, then "
        } else {
            ""
        },
        sent.replace("{b}", &op.builder),
        b = op.builder
    ));
    text.push_str("\n\n");
    text.push_str(&errors_doc(op));
    let doc = docs::outer(Some(&text), "");
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let many_args = too_many_arguments(args.len());
    quote! {
        #doc
        #deprecated
        #many_args
        pub fn #name<'a>(&'a self, #(#args),*) -> super::builders::#builder<'a> {
            super::builders::#builder {
                #(#fields),*
            }
        }
    }
}

/// The required query, header and cookie parameters of `op`, in the order its method takes
/// them: an order the spec's order of parameters does not change (a reordered spec must not
/// swap two arguments of the same type): query, header, cookie, each by name.
pub(super) fn required_arguments(op: &Operation) -> Vec<&Param> {
    let mut required: Vec<&Param> = op.struct_params().filter(|p| p.required).collect();
    required.sort_by_key(|p| {
        (
            p.location != ParamLocation::Query,
            p.location == ParamLocation::Cookie,
            p.name.as_str(),
        )
    });
    required
}

/// Clippy's `too_many_arguments` (on by default) denies a function of more than 7
/// arguments, `self` included; a method with `args` arguments besides `self` that takes one
/// per path parameter (the path's shape, not ours to change) allows it.
fn too_many_arguments(args: usize) -> Option<TokenStream> {
    (args + 1 > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] })
}

/// The `# Errors` section of an operation's method: every way its call can fail, with the
/// documented error answers when the method decodes them.
fn errors_doc(op: &Operation) -> String {
    let status = if has_typed_errors(op) {
        let statuses: Vec<String> = op
            .errors
            .iter()
            .map(|error| match error.status {
                StatusMatch::Code(code) => code.to_string(),
                StatusMatch::Range(range) => format!("{range}XX"),
                StatusMatch::Default => "any other (`default`)".to_owned(),
            })
            .collect();
        format!(
            "the server answers outside `200..=299`; for {}, \
             [`Error::typed`](super::Error::typed) holds the documented body as a \
             [`{}`]",
            statuses.join(", "),
            op.error_enum
        )
    } else {
        "the server answers outside `200..=299` (the body is kept as text, \
         [`Error::body`](super::Error::body))"
            .to_owned()
    };
    let decode = match &op.success {
        Success::Json(_) => "the answer's body is not the documented JSON",
        Success::Text(_) => "the answer's body is not UTF-8 text",
        Success::Bytes(_) | Success::Empty => "the answer cannot be read",
        Success::ByStatus { .. } => "an answer's body is not what its status documents",
        Success::EventStream(_) => "an event's data is not the documented JSON",
    };
    format!(
        "# Errors\n\n\
         An [`Error`](super::Error); its [`kind`](super::Error::kind) says which:\n\
         - [`Status`](super::ErrorKind::Status) when {status};\n\
         - [`Transport`](super::ErrorKind::Transport) when the request cannot be sent or the \
         answer not received, a timeout included ([`Error::is_timeout`](super::Error::is_timeout));\n\
         - [`Decode`](super::ErrorKind::Decode) when {decode}, and \
         [`BodyTooLarge`](super::ErrorKind::BodyTooLarge) when it exceeds the client's limit;\n\
         - [`InvalidRequest`](super::ErrorKind::InvalidRequest) when a parameter or the body \
         cannot be encoded (nothing is sent).\n\n\
         Failures that are safe to repeat are retried first, as the client's retry policy says."
    )
}

/// Whether the operation's method decodes documented error bodies (whatever its success
/// body: JSON, empty, text or bytes).
fn has_typed_errors(op: &Operation) -> bool {
    !op.errors.is_empty()
}

/// One enum per operation with several success bodies ([`Success::ByStatus`]): a variant per
/// documented 2xx answer, implementing `SuccessBody` so the runtime decodes a 2xx answer by
/// its status.
fn success_enums(cx: &Context) -> TokenStream {
    let runtime = cx.runtime();
    let types = quote! { super::types:: };
    let mut items = Vec::new();
    for op in &cx.api.operations {
        let Success::ByStatus { name, variants } = &op.success else {
            continue;
        };
        let name = ident(name);
        let doc = docs::text(&format!(
            "The success answers of [`Client::{m}`](Client::{m}), one variant per documented \
             status.",
            m = op.method_name
        ));
        let shapes = variants.iter().map(|v| {
            let variant = ident(&v.variant);
            let status = match v.status {
                StatusMatch::Code(code) => format!("`{code}`"),
                _ => "any other 2xx status (`2XX`)".to_owned(),
            };
            let body = match &v.body {
                Success::Json(_) => "its JSON body",
                Success::Text(_) => "its text",
                Success::Bytes(_) => "its bytes",
                Success::Empty | Success::ByStatus { .. } | Success::EventStream(_) => "no body",
            };
            let mut text = format!("The answer to {status}, with {body}.");
            if let Some(description) = &v.doc {
                text.push_str("\n\n");
                text.push_str(description);
            }
            let doc = docs::text(&text);
            match &v.body {
                Success::Json(ty) => {
                    let ty = type_tokens(cx, ty, &types);
                    quote! { #doc #variant(Box<#ty>), }
                }
                Success::Text(_) => quote! { #doc #variant(String), },
                Success::Bytes(_) => quote! { #doc #variant(Vec<u8>), },
                Success::Empty | Success::ByStatus { .. } | Success::EventStream(_) => {
                    quote! { #doc #variant, }
                }
            }
        });
        let arms = variants.iter().map(|v| {
            let variant = ident(&v.variant);
            let pattern = match v.status {
                StatusMatch::Code(code) => {
                    let code = proc_macro2::Literal::u16_unsuffixed(code);
                    quote! { #code }
                }
                // The runtime hands over 2xx answers only: `2XX` takes every status not
                // listed (a `200..=299` pattern would overlap a `200` arm, which clippy denies).
                _ => quote! { _ },
            };
            // `Self::` and one call per arm: short lines, laid out alike by prettyplease and
            // rustfmt.
            let value = match &v.body {
                Success::Json(_) => quote! { json(body).map(Self::#variant) },
                Success::Text(_) => quote! { Ok(Self::#variant(text(body))) },
                Success::Bytes(_) => quote! { Ok(Self::#variant(body.to_vec())) },
                Success::Empty | Success::ByStatus { .. } | Success::EventStream(_) => {
                    quote! { Ok(Self::#variant) }
                }
            };
            quote! { #pattern => Some(#value), }
        });
        let json = variants
            .iter()
            .any(|v| matches!(v.body, Success::Json(_)))
            .then(|| {
                quote! {
                    fn json<T: ::serde::de::DeserializeOwned>(
                        body: &[u8],
                    ) -> Result<Box<T>, #runtime::serde_json::Error> {
                        #runtime::serde_json::from_slice(body).map(Box::new)
                    }
                }
            });
        let fallback = (!variants.iter().any(|v| v.status == StatusMatch::Range(2)))
            .then(|| quote! { _ => None, });
        let text = variants
            .iter()
            .any(|v| matches!(v.body, Success::Text(_)))
            .then(|| {
                quote! {
                    fn text(body: &[u8]) -> String {
                        String::from_utf8_lossy(body).into_owned()
                    }
                }
            });
        // Answers without a body ignore it; should none have one, the parameter is unused.
        let reads_body = variants.iter().any(|v| {
            !matches!(
                v.body,
                Success::Empty | Success::ByStatus { .. } | Success::EventStream(_)
            )
        });
        let body_param = if reads_body {
            quote! { body }
        } else {
            quote! { _body }
        };
        items.push(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#shapes)*
            }
            impl #runtime::SuccessBody for #name {
                fn decode(
                    status: #runtime::StatusCode,
                    #body_param: &[u8],
                ) -> Option<Result<Self, #runtime::serde_json::Error>> {
                    #json
                    #text
                    match status.as_u16() {
                        #(#arms)*
                        #fallback
                    }
                }
            }
        });
    }
    quote! { #(#items)* }
}

/// One enum per distinct set of documented error responses (later operations with the same
/// set get an alias), implementing `ErrorBody` so the runtime can decode a non-2xx body.
fn error_enums(cx: &Context) -> TokenStream {
    let api = cx.api;
    let runtime = cx.runtime();
    let mut seen: Vec<(&[crate::ir::ErrorResponse], &str)> = Vec::new();
    let mut items = Vec::new();
    for op in api.operations.iter().filter(|op| has_typed_errors(op)) {
        let name = ident(&op.error_enum);
        let doc = docs::text(&format!(
            "Documented error answers of [`Client::{m}`](Client::{m}).",
            m = op.method_name
        ));
        if let Some((_, first)) = seen
            .iter()
            .find(|(errors, _)| *errors == op.errors.as_slice())
        {
            let first = ident(first);
            items.push(quote! {
                #doc
                pub type #name = #first;
            });
            continue;
        }
        seen.push((&op.errors, &op.error_enum));
        let variants = op.errors.iter().map(|error| {
            let variant = ident(&error.variant);
            let ty = type_tokens(cx, &error.ty, &quote! { super::types:: });
            let text = match error.status {
                StatusMatch::Code(code) => format!("The body of a {code} answer."),
                StatusMatch::Range(range) => format!("The body of a {range}xx answer."),
                StatusMatch::Default => {
                    "The body of any other non-2xx answer (`default`).".to_owned()
                }
            };
            let doc = docs::text(&text);
            quote! { #doc #variant(Box<#ty>), }
        });
        let arms = op.errors.iter().filter_map(|error| {
            let variant = ident(&error.variant);
            let pattern = match error.status {
                StatusMatch::Code(code) => {
                    let code = proc_macro2::Literal::u16_unsuffixed(code);
                    quote! { #code }
                }
                StatusMatch::Range(range) => range_pattern(range, &op.errors)?,
                StatusMatch::Default => quote! { _ },
            };
            Some(quote! { #pattern => decode(body).map(#name::#variant), })
        });
        let fallback = (!op.errors.iter().any(|e| e.status == StatusMatch::Default))
            .then(|| quote! { _ => None, });
        let only_default =
            matches!(op.errors.as_slice(), [only] if only.status == StatusMatch::Default);
        let body = if only_default {
            let variant = ident(&op.errors[0].variant);
            quote! {
                let _ = status;
                decode(body).map(#name::#variant)
            }
        } else {
            quote! {
                match status.as_u16() {
                    #(#arms)*
                    #fallback
                }
            }
        };
        items.push(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
            impl #runtime::ErrorBody for #name {
                fn decode(status: #runtime::StatusCode, body: &[u8]) -> Option<Self> {
                    fn decode<T: ::serde::de::DeserializeOwned>(body: &[u8]) -> Option<Box<T>> {
                        #runtime::serde_json::from_slice(body).ok()
                    }
                    #body
                }
            }
        });
    }
    quote! { #(#items)* }
}

/// The match pattern of the status range `range`xx (OpenAPI 3.0.3, "Responses Object": an
/// explicit code takes precedence over its range), without the codes of `errors` that are
/// listed on their own, so that no two arms overlap: `4XX` next to `400` and `409` becomes
/// `401..=408 | 410..=499`. `None` when every code of the range is listed.
fn range_pattern(range: u16, errors: &[crate::ir::ErrorResponse]) -> Option<TokenStream> {
    let listed: Vec<u16> = errors
        .iter()
        .filter_map(|error| match error.status {
            StatusMatch::Code(code) if code / 100 == range => Some(code),
            _ => None,
        })
        .collect();
    let parts = status_runs(range * 100, range * 100 + 99, &listed)
        .into_iter()
        .map(|(low, high)| {
            let low_lit = proc_macro2::Literal::u16_unsuffixed(low);
            let high_lit = proc_macro2::Literal::u16_unsuffixed(high);
            if low == high {
                quote! { #low_lit }
            } else {
                quote! { #low_lit..=#high_lit }
            }
        })
        .collect::<Vec<_>>();
    (!parts.is_empty()).then(|| quote! { #(#parts)|* })
}

/// The maximal runs `(low, high)` of `low..=high` that contain none of `excluded`, in order.
fn status_runs(low: u16, high: u16, excluded: &[u16]) -> Vec<(u16, u16)> {
    let mut runs = Vec::new();
    let mut start = None;
    for code in low..=high {
        match (excluded.contains(&code), start) {
            (false, None) => start = Some(code),
            (true, Some(first)) => {
                runs.push((first, code - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(first) = start {
        runs.push((first, high));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::status_runs;

    #[test]
    fn status_runs_leave_out_listed_codes() {
        assert_eq!(status_runs(400, 499, &[]), vec![(400, 499)]);
        assert_eq!(status_runs(400, 499, &[400]), vec![(401, 499)]);
        assert_eq!(status_runs(400, 499, &[499]), vec![(400, 498)]);
        assert_eq!(
            status_runs(400, 499, &[400, 409, 429, 430]),
            vec![(401, 408), (410, 428), (431, 499)]
        );
        assert_eq!(status_runs(400, 401, &[400, 401]), vec![]);
    }
}
