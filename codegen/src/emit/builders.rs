//! Emission of the `builders` module: one request builder per operation, the value a
//! `Client` method returns. A builder holds the call's arguments, takes the optional
//! parameters and per-call options through setters, and is sent by awaiting it
//! (`IntoFuture`), by `send`, by `send_with_response` (status and headers too) or, for
//! paginated and event-stream operations, by `stream`. It also owns how a request is built
//! (path, parameters, body) and which runtime call sends it.

use proc_macro2::TokenStream;
use quote::quote;

use super::krate::Module;
use super::{docs, ident, type_tokens, Context};
use crate::ir::{
    Api, Body, BodyEncoding, Operation, Param, ParamLocation, ParamStyle, PathPart, Success,
    TypeRef,
};

/// The `builders` module, or `None` for an API without operations.
pub fn module(cx: &Context) -> Option<Module> {
    if cx.api.operations.is_empty() {
        return None;
    }
    let descriptors = cx.api.operations.iter().map(|op| descriptor(cx, op));
    let builders = cx.api.operations.iter().map(|op| builder(cx, op));
    Some(Module {
        doc: "Request builders, one per operation: what a [`Client`](super::Client) method \
              returns. Set optional parameters on it, then `.await` it (or call `send`); \
              `send_with_response` also gives the status and headers, and `stream` reads a \
              paginated list or an event stream.\n\n\
              The sending methods are `#[inline]`: the code that builds, sends and decodes \
              an operation's request is compiled in the crate that calls it, and only for \
              the operations it calls."
            .to_owned(),
        items: quote! {
            #(#descriptors)*
            #(#builders)*
        },
    })
}

/// The type of a path parameter as an argument and as a builder field: strings and other
/// non-`Copy` types borrowed for `'a`, numbers and booleans by value.
pub(super) fn path_param_type(cx: &Context, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote! { &'a str },
        _ if path_param_by_value(ty) => type_tokens(cx, ty, &quote! { super::types:: }),
        other => {
            let ty = type_tokens(cx, other, &quote! { super::types:: });
            quote! { &'a #ty }
        }
    }
}

/// Whether a path parameter of type `ty` is passed by value (numbers and booleans) rather
/// than borrowed.
pub(super) fn path_param_by_value(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Int(_) | TypeRef::Float(_) | TypeRef::Bool)
}

/// The type of the request body as an argument and as a builder field.
pub(super) fn body_type(cx: &Context, body: &Body) -> TokenStream {
    match &body.encoding {
        BodyEncoding::Text(_) => quote! { String },
        BodyEncoding::Bytes(_) => quote! { Vec<u8> },
        _ => {
            let ty = type_tokens(cx, &body.ty, &quote! { super::types:: });
            quote! { &'a #ty }
        }
    }
}

/// The path parameters, in path order.
pub(super) fn path_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
}

/// The operation's success value and error type, as the builder's module names them.
fn answer_types(cx: &Context, op: &Operation) -> (TokenStream, TokenStream) {
    let value = match &op.success {
        Success::Json(ty) | Success::EventStream(ty) => {
            type_tokens(cx, ty, &quote! { super::types:: })
        }
        Success::Text(_) => quote! { String },
        Success::Bytes(_) => quote! { Vec<u8> },
        Success::Empty => quote! { () },
        Success::ByStatus { name, .. } => {
            let name = ident(name);
            quote! { super::client::#name }
        }
    };
    (value, error_type(cx, op))
}

/// The operation's error type, as the builder's module names it.
fn error_type(cx: &Context, op: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    if op.errors.is_empty() {
        quote! { #runtime::Error }
    } else {
        let name = ident(&op.error_enum);
        quote! { #runtime::Error<super::client::#name> }
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

/// The builder struct of `op`, its setters and its ways of being sent.
fn builder(cx: &Context, op: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let name = ident(&op.builder);
    let method = &op.method_name;

    let path_fields = path_params(op).map(|param| {
        let field = ident(&param.name);
        let ty = path_param_type(cx, &param.ty);
        quote! { pub(super) #field: #ty, }
    });
    let param_fields = op.struct_params().map(|param| {
        let field = ident(&param.name);
        let mut ty = type_tokens(cx, &param.ty, &quote! { super::types:: });
        if !param.required {
            ty = quote! { Option<#ty> };
        }
        quote! { pub(super) #field: #ty, }
    });
    let body_field = op.body.as_ref().map(|body| {
        let ty = body_type(cx, body);
        quote! { pub(super) body: #ty, }
    });
    let field_names: Vec<TokenStream> = std::iter::once(quote! { client })
        .chain(path_params(op).map(|param| {
            let field = ident(&param.name);
            quote! { #field }
        }))
        .chain(op.struct_params().map(|param| {
            let field = ident(&param.name);
            quote! { #field }
        }))
        .chain(op.body.as_ref().map(|_| quote! { body }))
        .chain(std::iter::once(quote! { options }))
        .collect();

    let set = if op.struct_params().any(|p| !p.required) {
        "Set the optional parameters you need, then "
    } else {
        ""
    };
    let send = if matches!(op.success, Success::EventStream(_)) {
        "open the event stream with [`stream`](Self::stream)."
    } else if op.pagination.is_some() {
        "`.await` it (or call [`send`](Self::send)) for one page, \
         [`send_with_response`](Self::send_with_response) for its status and headers too, or \
         read every item of every page with [`stream`](Self::stream)."
    } else {
        "`.await` it (or call [`send`](Self::send)); \
         [`send_with_response`](Self::send_with_response) also gives the answer's status and \
         headers."
    };
    let mut send = send.to_owned();
    if set.is_empty() {
        send = capitalize(&send);
    }
    let text = format!(
        "A request of [`Client::{method}`](super::client::Client::{method}) (`{} {}`). \
         {set}{send}",
        op.http_method,
        op.path.replace('`', "'"),
    );
    let doc = docs::text(&text);

    let setters = op.struct_params().filter(|p| !p.required).map(|param| {
        let field = ident(&param.name);
        let doc = docs::outer(Some(&field_doc(param)), "");
        let deprecated = param.deprecated.then(|| quote! { #[deprecated] });
        if param.ty == TypeRef::String {
            quote! {
                #doc
                #deprecated
                pub fn #field(mut self, value: impl Into<String>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            }
        } else {
            let ty = type_tokens(cx, &param.ty, &quote! { super::types:: });
            quote! {
                #doc
                #deprecated
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = Some(value);
                    self
                }
            }
        }
    });
    let options_doc = docs::text(&format!(
        "Timeout and retry settings for this call only, over the client's (see [`RequestOptions`]({})).",
        cx.options.runtime.text("RequestOptions")
    ));

    let (sending, into_future) = match &op.success {
        Success::EventStream(item) => (event_stream(cx, op, item), None),
        _ => (send_methods(cx, op), Some(into_future(cx, op, &name))),
    };
    let request = request_function(cx, op, &field_names);

    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request is sent only when it is awaited, sent or streamed"]
        pub struct #name<'a> {
            pub(super) client: &'a super::client::Client,
            #(#path_fields)*
            #(#param_fields)*
            #body_field
            pub(super) options: Option<#runtime::RequestOptions>,
        }

        impl<'a> #name<'a> {
            #(#setters)*

            #options_doc
            pub fn options(mut self, options: #runtime::RequestOptions) -> Self {
                self.options = Some(options);
                self
            }

            #sending
        }

        #into_future
        #request
    }
}

/// `send`, `send_with_response` and, for a paginated operation, `stream`. Neither is an
/// `async fn`: each returns the runtime's boxed future for the operation's kind of answer
/// (`Request::boxed_json` and the like), so no operation compiles a state machine of its
/// own, nor proves again that the runtime's futures are `Send`. Like every method that
/// sends, they are `#[inline]`: not generic, they would otherwise be compiled (with the
/// decoding of every answer type they reach) when the generated crate is, whether or not
/// anything calls them; inline, they are compiled where they are called.
fn send_methods(cx: &Context, op: &Operation) -> TokenStream {
    let runtime = cx.runtime();
    let method = &op.method_name;
    let request = ident(&op.method_name);
    let (value, error) = answer_types(cx, op);
    let typed = !op.errors.is_empty();
    let kind = match &op.success {
        Success::Json(_) => "json",
        Success::Empty | Success::EventStream(_) => "empty",
        Success::Text(_) => "text",
        Success::Bytes(_) => "bytes",
        Success::ByStatus { .. } => "by_status",
    };
    let send = ident(&format!("boxed_{kind}"));
    let with_response = ident(&format!("boxed_{kind}_with_response"));
    // The untyped error is `ApiResult`'s default; naming it only lengthens the line.
    let error_param = typed.then(|| quote! { , #error });
    let send_doc = docs::text(&format!(
        "Sends the request and returns the answer's value (what awaiting the builder does). \
         The builder is `Clone`: clone it first to send the same request again.\n\n\
         # Errors\n\nAs [`Client::{method}`](super::client::Client::{method}) says."
    ));
    let with_response_doc = docs::text(
        "Sends the request and returns the answer's value with its status and headers.\n\n\
         # Errors\n\nAs [`send`](Self::send).",
    );
    let stream = op
        .pagination
        .as_ref()
        .map(|pagination| stream_method(cx, op, pagination));
    quote! {
        #send_doc
        #[inline]
        pub fn send(self) -> #runtime::BoxFuture<'a, Result<#value, #error>> {
            #request(self).#send()
        }

        #with_response_doc
        #[inline]
        pub fn send_with_response(
            self,
        ) -> #runtime::BoxFuture<'a, #runtime::ApiResult<#value #error_param>> {
            #request(self).#with_response()
        }

        #stream
    }
}

/// The function that turns a builder into the runtime's request (named after the
/// operation's method, in the builders' module): the path, the parameters, the body, the
/// `Accept` header the answer needs and the call's options.
fn request_function(cx: &Context, op: &Operation, field_names: &[TokenStream]) -> TokenStream {
    let runtime = cx.runtime();
    let name = ident(&op.builder);
    let function = ident(&op.method_name);
    let build = build_request(cx, op);
    let accept = op
        .accept
        .as_ref()
        .map(|media_types| quote! { request = request.accept(#media_types); });
    let doc = docs::text(&format!("The request a [`{}`] sends.", op.builder));
    quote! {
        #doc
        #[inline]
        fn #function(call: #name<'_>) -> #runtime::Request<'_> {
            let #name { #(#field_names),* } = call;
            #build
            #accept
            request
        }
    }
}

/// Statements that build `request` from the builder's fields, bound by name.
fn build_request(cx: &Context, op: &Operation) -> TokenStream {
    let path = path_statements(cx, op);
    let descriptor = ident(&op.const_name);
    let params = op.struct_params().map(|param| {
        let field = ident(&param.name);
        let wire = &param.wire;
        if !param.has_default_style() {
            let style = param_style(cx, param);
            return quote! { request = request.param(#wire, &#field, #style); };
        }
        match param.location {
            ParamLocation::Header => quote! { request = request.header(#wire, &#field); },
            ParamLocation::Cookie => quote! { request = request.cookie(#wire, &#field); },
            _ => quote! { request = request.query(#wire, &#field); },
        }
    });
    let body = op.body.as_ref().map(|body| body_statements(cx, body));
    quote! {
        #path
        let mut request = client.core.request(&#descriptor, path);
        #(#params)*
        #body
        if let Some(options) = options {
            request = request.options(options);
        }
    }
}

/// `IntoFuture`: awaiting the builder sends it (Rust 1.64, `std::future::IntoFuture`).
fn into_future(cx: &Context, op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let runtime = cx.runtime();
    let (value, error) = answer_types(cx, op);
    quote! {
        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = Result<#value, #error>;
            type IntoFuture = #runtime::BoxFuture<'a, Self::Output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

/// `stream` of a paginated operation: every item of every page, following the cursor until
/// it runs out.
fn stream_method(cx: &Context, op: &Operation, pagination: &crate::ir::Pagination) -> TokenStream {
    let runtime = cx.runtime();
    let Success::Json(response) = &op.success else {
        return TokenStream::new();
    };
    let Some(item) = item_type(cx.api, response, &pagination.items_field) else {
        return TokenStream::new();
    };
    let item = type_tokens(cx, &item, &quote! { super::types:: });
    // The untyped error is `Paged`'s default; naming it only lengthens the line.
    let error = error_type(cx, op);
    let error_param = (!op.errors.is_empty()).then(|| quote! { , #error });
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
        "Every item of every page, in order: sends the request, then again with `{c}` set \
         from each answer until the server stops returning one (or returns the one it was \
         sent). Read it with `StreamExt` (re-exported at the crate root), for example \
         `while let Some(item) = stream.next().await`.\n\n\
         # Errors\n\nAn error of [`send`](Self::send) ends the stream as its last item.",
        c = pagination.cursor_field
    ));
    // Short statements and a `let`-bound closure: layouts prettyplease and rustfmt agree on.
    quote! {
        #doc
        #[inline]
        pub fn stream(self) -> #runtime::Paged<'a, #item #error_param> {
            let fetch = |call: Self| async move {
                let sent = call.#cursor_param.clone();
                let page = call.clone().send().await?;
                let mut next = call;
                next.#cursor_param = #next_cursor;
                let more = next.#cursor_param.is_some() && next.#cursor_param != sent;
                Ok((#items, more.then_some(next)))
            };
            #runtime::paged(self, fetch)
        }
    }
}

/// `stream` of an operation that answers `text/event-stream`: the stream of server-sent
/// events, each `data` decoded as `item`, reconnecting with `Last-Event-ID` as the runtime's
/// `sse` module describes.
fn event_stream(cx: &Context, op: &Operation, item: &TypeRef) -> TokenStream {
    let runtime = cx.runtime();
    let request = ident(&op.method_name);
    let item = type_tokens(cx, item, &quote! { super::types:: });
    let doc = docs::text(&format!(
        "Sends the request and reads the answer as a stream of server-sent events, each \
         `data` decoded from JSON. A dropped connection is resumed with `Last-Event-ID` \
         after the server's `retry:` delay, under the client's retry policy.\n\n\
         # Errors\n\nAn error ends the stream as its last item (see \
         [`send_events`]({})).",
        cx.options.runtime.text("Request::send_events"),
    ));
    quote! {
        #doc
        #[inline]
        pub fn stream(self) -> #runtime::sse::EventStream<'a, #item> {
            #request(self).send_events()
        }
    }
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
    let value = quote! { body };
    match &body.encoding {
        BodyEncoding::Json(media_type) if media_type == "application/json" => {
            quote! { request = request.json(body); }
        }
        BodyEncoding::Json(media_type) => quote! { request = request.json_as(#media_type, body); },
        BodyEncoding::Form => quote! { request = request.form(body); },
        BodyEncoding::Text(media_type) => quote! { request = request.text(#media_type, #value); },
        BodyEncoding::Bytes(media_type) => quote! { request = request.bytes(#media_type, #value); },
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

/// `text` with its first letter upper-case (`` `.await` `` stays as it is).
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_ascii_lowercase() => {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        }
        _ => text.to_owned(),
    }
}

/// The doc of a parameter's setter (or argument): its description, then where it is sent.
fn field_doc(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Query => "query parameter",
        ParamLocation::Path => "path parameter",
    };
    let mut text = param.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "Sent as the `{}` {location}.",
        param.wire.replace('`', "'")
    ));
    if param.deprecated {
        text.push_str(" Deprecated.");
    }
    text
}
