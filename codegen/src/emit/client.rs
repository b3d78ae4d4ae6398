//! Emission of the `client` module: servers, `Client`, `ClientBuilder`, one method per
//! operation, and the typed error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::krate::Module;
use super::{docs, ident, type_tokens, Context};
use crate::ir::{
    Api, AuthKind, Body, BodyEncoding, Operation, Param, ParamLocation, ParamStyle, PathPart,
    StatusMatch, Success, SuccessVariant, TypeRef,
};
use crate::naming::reserved;

/// The `client` module.
pub fn module(cx: &Context) -> Module {
    let api = cx.api;
    let runtime = cx.runtime();
    let descriptors = api.operations.iter().map(|op| descriptor(cx, op));
    let servers = servers(api);
    let default_url = api.servers.first().map(|s| s.url.as_str()).unwrap_or("");
    let default_note = match api.servers.first() {
        Some(server) => format!("Requests go to `{}` unless [`ClientBuilder::base_url`] or [`ClientBuilder::server`] says otherwise.", server.url),
        None => "The spec names no server: set one with [`ClientBuilder::base_url`].".to_owned(),
    };
    let error_enums = error_enums(cx);
    let success_enums = success_enums(cx);
    let methods = api.operations.iter().map(|op| {
        let stream = op
            .pagination
            .as_ref()
            .map(|pagination| stream_method(cx, op, pagination));
        let method = method(cx, op);
        quote! { #method #stream }
    });
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
        #(#descriptors)*
        #servers

        /// A client for the API. Cheap to clone: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            core: #runtime::ClientCore,
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
        doc: "The HTTP client: one async method per operation of the spec.".to_owned(),
        items,
    }
}

fn descriptor(cx: &Context, op: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let name = ident(&op.const_name);
    let id = &op.id;
    let method = ident(&op.http_method);
    let path = &op.path;
    quote! {
        const #name: #runtime::Operation = #runtime::Operation {
            id: #id,
            method: #runtime::Method::#method,
            path: #path,
        };
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
        text.push_str("\n\nA client uses one credential: this replaces any set before.");
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

/// How a path parameter is taken: strings by reference, numbers and booleans by value.
fn argument_type(cx: &Context, ty: &TypeRef) -> TokenStream {
    argument_type_in(cx, ty, &TokenStream::new())
}

/// [`argument_type`] with `lifetime` on the references (for methods returning a stream that
/// borrows its arguments).
fn argument_type_in(cx: &Context, ty: &TypeRef, lifetime: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote! { &#lifetime str },
        TypeRef::Int(_) | TypeRef::Float(_) | TypeRef::Bool => {
            type_tokens(cx, ty, &quote! { super::types:: })
        }
        other => {
            let ty = type_tokens(cx, other, &quote! { super::types:: });
            quote! { &#lifetime #ty }
        }
    }
}

fn method(cx: &Context, op: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let typed_errors = has_typed_errors(op);
    let error_type = error_type(cx, op);
    let name = ident(&op.method_name);
    let descriptor = ident(&op.const_name);
    let types = quote! { super::types:: };

    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let mut args: Vec<TokenStream> = path_params
        .iter()
        .map(|param| {
            let arg = ident(&param.name);
            let ty = argument_type(cx, &param.ty);
            quote! { #arg: #ty }
        })
        .collect();
    let has_struct = op.struct_params().next().is_some();
    if has_struct {
        let params_ty = ident(&op.params_struct);
        args.push(quote! { params: &super::params::#params_ty });
    }
    if let Some(body) = &op.body {
        args.push(match &body.encoding {
            BodyEncoding::Text(_) => quote! { body: String },
            BodyEncoding::Bytes(_) => quote! { body: Vec<u8> },
            _ => {
                let ty = type_tokens(cx, &body.ty, &types);
                quote! { body: &#ty }
            }
        });
    }

    let path_statements = path_statements(cx, op);
    let param_statements = op.struct_params().map(|param| {
        let field = ident(&param.name);
        let wire = &param.wire;
        if !param.has_default_style() {
            let style = param_style(cx, param);
            return quote! { request = request.param(#wire, &params.#field, #style); };
        }
        match param.location {
            ParamLocation::Header => quote! { request = request.header(#wire, &params.#field); },
            ParamLocation::Cookie => quote! { request = request.cookie(#wire, &params.#field); },
            _ => quote! { request = request.query(#wire, &params.#field); },
        }
    });
    let body_statement = op.body.as_ref().map(|body| body_statements(cx, body));
    if let Success::EventStream(item) = &op.success {
        let binding = if op.struct_params().next().is_some() || op.body.is_some() {
            quote! { let mut request }
        } else {
            quote! { let request }
        };
        let request = quote! {
            #path_statements
            #binding = self.core.request(&#descriptor, path);
            #(#param_statements)*
            #body_statement
        };
        return event_stream_method(cx, op, item, &args, request);
    }
    // JSON and empty answers come with a `_with_response` twin that keeps the status and
    // headers (unless turned off); the plain method unwraps its value.
    let with_response = cx.options.response_twins
        && matches!(
            op.success,
            Success::Json(_) | Success::Empty | Success::ByStatus { .. }
        );
    let suffix = if with_response { "_with_response" } else { "" };
    let send_call = |base: &str| {
        let method = ident(&format!("{base}{suffix}"));
        quote! { request.#method().await }
    };
    let (ret, send) = match &op.success {
        Success::Json(ty) if typed_errors => {
            (type_tokens(cx, ty, &types), send_call("send_json_typed"))
        }
        Success::Json(ty) => (type_tokens(cx, ty, &types), send_call("send_json")),
        Success::Empty if typed_errors => (quote! { () }, send_call("send_empty_typed")),
        Success::Text(media_type) => {
            let send = ident(if typed_errors {
                "send_text_typed"
            } else {
                "send_text"
            });
            (
                quote! { String },
                quote! { request = request.accept(#media_type); request.#send().await },
            )
        }
        Success::Bytes(media_type) => {
            let send = ident(if typed_errors {
                "send_bytes_typed"
            } else {
                "send_bytes"
            });
            (
                quote! { Vec<u8> },
                quote! { request = request.accept(#media_type); request.#send().await },
            )
        }
        Success::Empty | Success::EventStream(_) => (quote! { () }, send_call("send_empty")),
        Success::ByStatus { name, variants } => {
            let send = send_call("send_by_status");
            let send = match accept(variants) {
                Some(media_types) => quote! { request = request.accept(#media_types); #send },
                None => send,
            };
            let name = ident(name);
            (quote! { #name }, send)
        }
    };
    // One short statement per step (no long method chains, no macros) keeps prettyplease's
    // layout identical to rustfmt's, so the generated crate is rustfmt-clean.
    let sets_accept = match &op.success {
        Success::Text(_) | Success::Bytes(_) => true,
        Success::ByStatus { variants, .. } => accept(variants).is_some(),
        Success::Json(_) | Success::Empty | Success::EventStream(_) => false,
    };
    let binding = if op.struct_params().next().is_some() || op.body.is_some() || sets_accept {
        quote! { let mut request }
    } else {
        quote! { let request }
    };

    let many_args = too_many_arguments(args.len());
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
    text.push_str(&errors_doc(op));
    let doc = docs::outer(Some(&text), "");
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    if !with_response {
        return quote! {
            #doc
            #deprecated
            #many_args
            pub async fn #name(&self, #(#args),*) -> Result<#ret, #error_type> {
                #path_statements
                #binding = self.core.request(&#descriptor, path);
                #(#param_statements)*
                #body_statement
                #send
            }
        };
    }
    let twin = ident(&op.with_response_name);
    // The untyped error is `ApiResult`'s default; naming it only lengthens the line.
    let error_param = typed_errors.then(|| quote! { , #error_type });
    let arg_names: Vec<TokenStream> = path_params
        .iter()
        .map(|param| {
            let arg = ident(&param.name);
            quote! { #arg }
        })
        .chain(op.struct_params().next().map(|_| quote! { params }))
        .chain(op.body.as_ref().map(|_| quote! { body }))
        .collect();
    let twin_doc = docs::text(&format!(
        "As [`{m}`](Self::{m}), with the answer's status and headers next to the value.\n\n\
         # Errors\n\nThe errors of [`{m}`](Self::{m}).",
        m = op.method_name
    ));
    let allow_deprecated = op.deprecated.then(|| quote! { #[allow(deprecated)] });
    let unwrap = match op.success {
        Success::Empty => quote! {
            self.#twin(#(#arg_names),*).await?;
            Ok(())
        },
        _ => quote! {
            let response = self.#twin(#(#arg_names),*).await?;
            Ok(response.value)
        },
    };
    quote! {
        #doc
        #deprecated
        #allow_deprecated
        #many_args
        pub async fn #name(&self, #(#args),*) -> Result<#ret, #error_type> {
            #unwrap
        }

        #twin_doc
        #deprecated
        #many_args
        pub async fn #twin(
            &self,
            #(#args),*
        ) -> #runtime::ApiResult<#ret #error_param> {
            #path_statements
            #binding = self.core.request(&#descriptor, path);
            #(#param_statements)*
            #body_statement
            #send
        }
    }
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

/// A method for a `text/event-stream` answer: the stream of server-sent events, each
/// `data` decoded as `item`, reconnecting with `Last-Event-ID` as the runtime's `sse`
/// module describes. `request` builds the request into a `request` binding.
fn event_stream_method(
    cx: &Context,
    op: &Operation,
    item: &TypeRef,
    args: &[TokenStream],
    request: TokenStream,
) -> TokenStream {
    let runtime = cx.runtime();
    let name = ident(&op.method_name);
    let item = type_tokens(cx, item, &quote! { super::types:: });
    let mut text = op.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "`{} {}` (operation `{}`): a stream of server-sent events, each `data` decoded \
         from JSON. A dropped connection is resumed with `Last-Event-ID` after the server's \
         `retry:` delay, under the client's retry policy; an error ends the stream as its \
         last item (see [`send_events`]({})).",
        op.http_method,
        op.path.replace('`', "'"),
        op.id.replace('`', "'"),
        cx.options.runtime.text("Request::send_events"),
    ));
    let doc = docs::outer(Some(&text), "");
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args),*) -> #runtime::sse::EventStream<'_, #item> {
            #request
            request.send_events()
        }
    }
}

/// `{method}_stream`: every item of every page, following the cursor until it runs out.
fn stream_method(cx: &Context, op: &Operation, pagination: &crate::ir::Pagination) -> TokenStream {
    let api = cx.api;
    let runtime = cx.runtime();
    let error_type = error_type(cx, op);
    // The untyped error is `Paged`'s default; naming it only lengthens the line.
    let error_param = has_typed_errors(op).then(|| quote! { , #error_type });
    let name = ident(&op.stream_name);
    let method = ident(&op.method_name);
    let params_ty = ident(&op.params_struct);
    let Success::Json(response) = &op.success else {
        return TokenStream::new();
    };
    let item = match item_type(api, response, &pagination.items_field) {
        Some(item) => type_tokens(cx, &item, &quote! { super::types:: }),
        None => return TokenStream::new(),
    };
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let args = path_params.iter().map(|param| {
        let arg = ident(&param.name);
        let ty = argument_type_in(cx, &param.ty, &quote! { 'a });
        quote! { #arg: #ty }
    });
    let call_args = path_params.iter().map(|param| {
        let arg = ident(&param.name);
        quote! { #arg }
    });
    // The path parameters and `params`.
    let many_args = too_many_arguments(path_params.len() + 1);
    let cursor_param = ident(&pagination.cursor_param);
    let cursor_field = ident(&pagination.cursor_field);
    let items_field = ident(&pagination.items_field);
    let next_cursor = if pagination.cursor_optional {
        quote! { page.#cursor_field.filter(|cursor| !cursor.is_empty()) }
    } else {
        quote! { Some(page.#cursor_field).filter(|cursor| !cursor.is_empty()) }
    };
    let items = if pagination.items_optional {
        quote! { page.#items_field.unwrap_or_default() }
    } else {
        quote! { page.#items_field }
    };
    let doc = docs::text(&format!(
        "Every item of [`{m}`](Self::{m}), page after page: follows `{c}` until the server \
         stops returning one (or returns the one it was sent). Read it with \
         `StreamExt` (re-exported at the crate root), for example \
         `while let Some(item) = stream.next().await`.\n\n\
         # Errors\n\nAn error of [`{m}`](Self::{m}) ends the stream as its last item.",
        m = op.method_name,
        c = pagination.cursor_field
    ));
    let deprecated = op
        .deprecated
        .then(|| quote! { #[deprecated] #[allow(deprecated)] });
    // Short statements and a `let`-bound closure: layouts prettyplease and rustfmt agree on.
    // `#[inline]`: the stream's decoding chain is compiled in the crates that use it, not
    // for every paginated operation of this crate (most of its code size otherwise).
    quote! {
        #doc
        #deprecated
        #[inline]
        #many_args
        pub fn #name<'a>(
            &'a self,
            #(#args,)*
            params: &super::params::#params_ty,
        ) -> #runtime::Paged<'a, #item #error_param> {
            let fetch = move |params: super::params::#params_ty| async move {
                let sent = params.#cursor_param.clone();
                let page = self.#method(#(#call_args,)* &params).await?;
                let mut next = params;
                next.#cursor_param = #next_cursor;
                let more = next.#cursor_param.is_some() && next.#cursor_param != sent;
                Ok((#items, more.then_some(next)))
            };
            #runtime::paged(params.clone(), fetch)
        }
    }
}

/// Whether the operation's method decodes documented error bodies (whatever its success
/// body: JSON, empty, text or bytes).
fn has_typed_errors(op: &Operation) -> bool {
    !op.errors.is_empty()
}

/// The `Accept` header of an operation with several success bodies, when one of them is not
/// JSON (the runtime sends `application/json` otherwise): every media type, in status order.
fn accept(variants: &[SuccessVariant]) -> Option<String> {
    let mut media_types: Vec<&str> = Vec::new();
    for variant in variants {
        let media_type = match &variant.body {
            Success::Json(_) => "application/json",
            Success::Text(media_type) | Success::Bytes(media_type) => media_type.as_str(),
            // An event stream among several answers is read as a body-less answer.
            Success::Empty | Success::ByStatus { .. } | Success::EventStream(_) => continue,
        };
        if !media_types.contains(&media_type) {
            media_types.push(media_type);
        }
    }
    (media_types.iter().any(|m| *m != "application/json")).then(|| media_types.join(", "))
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

/// The error type of the operation's method.
fn error_type(cx: &Context, op: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    if has_typed_errors(op) {
        let name = ident(&op.error_enum);
        quote! { #runtime::Error<#name> }
    } else {
        quote! { #runtime::Error }
    }
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

/// The element type of the array field `field` of the struct `ty`.
fn item_type(api: &Api, ty: &TypeRef, field: &str) -> Option<TypeRef> {
    let fields = api.struct_fields(ty)?;
    match &fields.iter().find(|f| f.name == field)?.ty {
        TypeRef::Array(inner) => Some((**inner).clone()),
        _ => None,
    }
}

/// Statements that put the body on the request.
fn body_statements(cx: &Context, body: &Body) -> TokenStream {
    let runtime = cx.runtime();
    match &body.encoding {
        BodyEncoding::Json(media_type) if media_type == "application/json" => {
            quote! { request = request.json(body); }
        }
        BodyEncoding::Json(media_type) => quote! { request = request.json_as(#media_type, body); },
        BodyEncoding::Form => quote! { request = request.form(body); },
        BodyEncoding::Text(media_type) => quote! { request = request.text(#media_type, body); },
        BodyEncoding::Bytes(media_type) => quote! { request = request.bytes(#media_type, body); },
        BodyEncoding::Multipart => {
            let fields = match cx.api.struct_fields(&body.ty) {
                Some(fields) => fields,
                None => return quote! { request = request.multipart(#runtime::Multipart::new()); },
            };
            let parts = fields.iter().filter(|field| !field.flatten).map(|field| {
                let name = ident(&field.name);
                let wire = &field.wire;
                if contains_binary(&field.ty) {
                    quote! { form = form.file(#wire, &body.#name); }
                } else {
                    quote! { form = form.part(#wire, &body.#name); }
                }
            });
            quote! {
                let mut form = #runtime::Multipart::new();
                #(#parts)*
                request = request.multipart(form);
            }
        }
    }
}

fn contains_binary(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::Array(inner) | TypeRef::Nullable(inner) => contains_binary(inner),
        _ => false,
    }
}

/// The runtime's `ParamStyle` for a parameter (OpenAPI 3.0.3, Parameter Object).
fn param_style(cx: &Context, param: &Param) -> TokenStream {
    let runtime = cx.runtime();
    let location = ident(match param.location {
        ParamLocation::Path => "Path",
        ParamLocation::Query => "Query",
        ParamLocation::Header => "Header",
        ParamLocation::Cookie => "Cookie",
    });
    let style = ident(match param.style {
        ParamStyle::Matrix => "Matrix",
        ParamStyle::Label => "Label",
        ParamStyle::Form => "Form",
        ParamStyle::Simple => "Simple",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
    });
    let explode = param.explode;
    let reserved = param
        .allow_reserved
        .then(|| quote! { .with_allow_reserved(true) });
    quote! {
        #runtime::ParamStyle::new(
            #runtime::ParamLocation::#location,
            #runtime::Style::#style,
            #explode,
        )#reserved
    }
}

/// The expression that renders a path parameter: `simple` by default, else its style.
fn path_value(cx: &Context, param: &Param) -> TokenStream {
    let runtime = cx.runtime();
    let arg = ident(&param.name);
    if param.has_default_style() {
        quote! { #runtime::path_param(&#arg) }
    } else {
        let wire = &param.wire;
        let style = param_style(cx, param);
        quote! { #runtime::path_param_styled(#wire, &#arg, #style) }
    }
}

/// Statements that build `path`: the template's literal text, with each parameter
/// percent-encoded as exactly one segment.
fn path_statements(cx: &Context, op: &Operation) -> TokenStream {
    let has_params = op
        .path_parts
        .iter()
        .any(|part| matches!(part, PathPart::Param(_)));
    if !has_params || op.path_parts.len() == 1 {
        return match op.path_parts.first() {
            Some(PathPart::Param(index)) => {
                let value = path_value(cx, &op.params[*index]);
                quote! { let path = #value; }
            }
            _ => {
                let path = &op.path;
                quote! { let path = String::from(#path); }
            }
        };
    }
    let statements = op.path_parts.iter().enumerate().map(|(position, part)| {
        let value = match part {
            PathPart::Literal(text) => quote! { #text },
            PathPart::Param(index) => {
                let value = path_value(cx, &op.params[*index]);
                quote! { &#value }
            }
        };
        match part {
            _ if position == 0 => quote! { let mut path = String::from(#value); },
            // clippy's `single_char_add_str`: `/{a}/{b}` has a lone `/` between parameters.
            PathPart::Literal(text) if text.chars().count() == 1 => {
                let c = text.chars().next().unwrap_or('/');
                quote! { path.push(#c); }
            }
            _ => quote! { path.push_str(#value); },
        }
    });
    quote! { #(#statements)* }
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
