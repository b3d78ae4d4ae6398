//! Emission of the `events` module: for each [`Event`] (a 3.0 callback or a 3.1 webhook), a
//! function that builds the verifier its declared signature scheme needs and a function
//! that checks and decodes one incoming request into the event's payload type. Both are
//! thin calls into the runtime's `webhook` module, which owns every check.

use proc_macro2::TokenStream;
use quote::quote;

use super::krate::Module;
use super::{docs, ident, type_tokens, Context};
use crate::ir::{BodyEncoding, Event, EventSource, SignatureScheme, TypeRef};

/// The `events` module, or `None` when the spec declares no events.
pub fn module(cx: &Context) -> Option<Module> {
    if cx.api.events.is_empty() {
        return None;
    }
    let runtime = cx.runtime();
    let items = cx.api.events.iter().map(|event| event_items(cx, event));
    Some(Module {
        doc: "The requests the API sends to receivers you run (callbacks and webhooks): per \
             event, `<event>_verifier` builds the [`Verifier`] its signature scheme needs, \
             once, and `decode_<event>` checks one request with it and decodes the payload. On \
             a refusal, answer with [`EventError::status`]. (The module imports both from the \
             runtime's `webhook` module.)"
            .to_owned(),
        items: quote! {
            use #runtime::webhook::{EventError, InvalidSecret, Verifier};

            #(#items)*
        },
    })
}

/// The verifier and decoder functions of one event.
fn event_items(cx: &Context, event: &Event) -> TokenStream {
    let runtime = cx.runtime();
    let verifier_name = ident(&format!("{}_verifier", event.name));
    let decode_name = ident(&format!("decode_{}", event.name));
    let payload = match &event.body {
        Some(body) if matches!(body.encoding, BodyEncoding::Json(_)) => body.ty.clone(),
        _ => TypeRef::Json,
    };
    let payload = type_tokens(cx, &payload, &quote! { super::types:: });
    let build = match (event.signature, event.unsigned) {
        (Some(scheme), true) => {
            let constructor = constructor(scheme);
            quote! {
                if secret.is_empty() {
                    Ok(Verifier::unsigned())
                } else {
                    Verifier::#constructor(secret)
                }
            }
        }
        (Some(scheme), false) => {
            let constructor = constructor(scheme);
            quote! {
                Verifier::#constructor(secret)
            }
        }
        (None, _) => quote! {
            let _ = secret;
            Ok(Verifier::unsigned())
        },
    };
    let verifier_doc = docs::text(&verifier_text(cx, event));
    let decode_doc = docs::outer(Some(&decode_text(event)), "");
    quote! {
        #verifier_doc
        pub fn #verifier_name(secret: &str) -> Result<Verifier, InvalidSecret> {
            #build
        }

        #decode_doc
        pub fn #decode_name(
            headers: &#runtime::HeaderMap,
            body: &[u8],
            verifier: &Verifier,
        ) -> Result<#payload, EventError> {
            #runtime::webhook::decode_event(headers, body, verifier)
        }
    }
}

fn constructor(scheme: SignatureScheme) -> proc_macro2::Ident {
    ident(match scheme {
        SignatureScheme::JwtHs256 => "jwt_hs256",
        SignatureScheme::StandardWebhooks => "standard_webhooks",
    })
}

/// What the spec says the event is, in one line: where it is declared.
fn origin(event: &Event) -> String {
    let method = event.method.to_ascii_uppercase();
    match &event.source {
        EventSource::Callback {
            operation,
            name,
            expression,
        } => format!(
            "the `{method}` of callback `{}` of operation `{}`, sent to `{}`",
            name.replace('`', "'"),
            operation.replace('`', "'"),
            expression.replace('`', "'"),
        ),
        EventSource::Webhook { key } => {
            format!("the `{method}` of webhook `{}`", key.replace('`', "'"))
        }
    }
}

fn verifier_text(cx: &Context, event: &Event) -> String {
    let decode = format!("decode_{}", event.name);
    let summary = match (event.signature, event.unsigned) {
        (Some(SignatureScheme::JwtHs256), unsigned) => format!(
            "The verifier for [`{decode}`]: the body must be a JWT signed with HS256 (RFC 7518 \
             §3.2) using `secret`.{}",
            if unsigned {
                " With an empty secret (none configured), the API sends plain JSON: only that \
                 is accepted, and signed bodies are refused."
            } else {
                ""
            }
        ),
        (Some(SignatureScheme::StandardWebhooks), unsigned) => format!(
            "The verifier for [`{decode}`]: the request must carry a Standard Webhooks \
             signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`) made with \
             `secret` (`whsec_` and the base64 key).{}",
            if unsigned {
                " With an empty secret (none configured), only plain JSON is accepted."
            } else {
                ""
            }
        ),
        (None, _) => format!(
            "The verifier for [`{decode}`]: the spec declares no signature scheme \
             (`x-webhook-signature`), so the body is plain JSON, trusted as it comes; \
             `secret` is not used."
        ),
    };
    let errors = if event.signature.is_some() && !event.unsigned {
        "\n\n# Errors\n\nAn empty secret, or (Standard Webhooks) one that is not \
         `whsec_<base64>`."
    } else if event.signature == Some(SignatureScheme::StandardWebhooks) {
        "\n\n# Errors\n\nA secret that is not `whsec_<base64>`."
    } else {
        "\n\n# Errors\n\nNever, for this event's scheme."
    };
    format!(
        "{summary} Set the body limit with [`max_body`]({}).{errors}",
        cx.options.runtime.text("webhook::Verifier::max_body")
    )
}

fn decode_text(event: &Event) -> String {
    let mut text = event.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let scheme = match event.signature {
        Some(SignatureScheme::JwtHs256) => "a JWT signed with HS256",
        Some(SignatureScheme::StandardWebhooks) => "Standard Webhooks",
        None => "unsigned",
    };
    text.push_str(&format!(
        "Checks and decodes {} (signature: {scheme}{}). `headers` and `body` are the \
         request's, as received; `verifier` comes from [`{}_verifier`].\n\n\
         # Errors\n\n\
         An [`EventError`], refused before the payload is trusted; answer the request with \
         its [`status`](EventError::status): 413 for a body over the verifier's \
         limit (nothing is parsed), 401 for a missing or bad signature, a refused algorithm \
         (only the declared one is accepted), an expired or not yet valid token or \
         timestamp, or a signed body without a secret; 400 for a body that is not JSON or \
         not this event.",
        origin(event),
        if event.signature.is_some() && event.unsigned {
            ", or plain JSON without a secret"
        } else {
            ""
        },
        event.name,
    ));
    text
}
