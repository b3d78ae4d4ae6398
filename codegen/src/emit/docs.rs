//! Doc text from the spec, made safe to put into generated code: every doc attribute the
//! emitters write comes from here, one line each, starting with a space (as `/// ` would).
//!
//! Spec text is untrusted. It reaches the output only as string literals inside `#[doc]`
//! attributes (quote escapes them, so it cannot become code), but rustdoc reads the text as
//! Markdown, and a Markdown code block in a doc comment is a doctest that `cargo test`
//! compiles and runs. So every fenced block is relabelled `text` and every indented code
//! block becomes a `text` fence. The same pass keeps the output clean for clippy's doc lints
//! (tabs, lazily continued list items) and drops characters a doc comment cannot hold.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc attributes (`///`) for `text`, or for `fallback` when the spec has none.
pub fn outer(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = text.filter(|t| !t.trim().is_empty()).unwrap_or(fallback);
    let lines = sanitize(text);
    quote! { #( #[doc = #lines] )* }
}

/// Outer doc attributes for text the generator writes (which may quote spec text).
pub fn text(text: &str) -> TokenStream {
    outer(Some(text), "")
}

/// Inner doc attributes (`//!`) for a module or crate.
pub fn inner(text: &str) -> TokenStream {
    let lines = sanitize(text);
    quote! { #( #![doc = #lines] )* }
}

/// Inner doc attributes for lines the generator composed itself, kept exactly as given (a
/// doctest stays a doctest). Only for text built from generated identifiers and fixed
/// words: spec text goes through [`inner`].
pub fn inner_verbatim(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// Splits `text` into safe doc lines, each with a leading space (as `/// ` would give).
pub fn sanitize(text: &str) -> Vec<String> {
    let cleaned: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .chars()
        .flat_map(|c| match c {
            '\n' => vec![c],
            c if c.is_control() => vec!['\u{FFFD}'],
            // Bidirectional overrides are rejected by rustc inside comments; show them by name.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                format!("U+{:04X}", c as u32).chars().collect()
            }
            c => vec![c],
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut indented_block = false;
    let mut list_indent: Option<usize> = None;
    let mut previous_blank = true;
    let mut quote_open = false;

    for raw in cleaned.trim_matches('\n').lines() {
        let line = raw.trim_end();
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();

        if let Some((fence_char, fence_len)) = fence {
            let closes = body.starts_with(&fence_char.to_string().repeat(fence_len))
                && body.trim_start_matches(fence_char).trim().is_empty();
            out.push(line.to_owned());
            if closes {
                fence = None;
            }
            previous_blank = false;
            continue;
        }
        if indented_block {
            if line.is_empty() || indent >= 4 {
                out.push(if line.is_empty() {
                    String::new()
                } else {
                    line[4..].to_owned()
                });
                continue;
            }
            close_indented_block(&mut out);
            indented_block = false;
            previous_blank = true;
        }
        if let Some(fence_char) = ['`', '~']
            .into_iter()
            .find(|c| body.starts_with(&c.to_string().repeat(3)))
        {
            let fence_len = body.chars().take_while(|&c| c == fence_char).count();
            out.push(format!(
                "{}{}text",
                " ".repeat(indent),
                fence_char.to_string().repeat(fence_len)
            ));
            fence = Some((fence_char, fence_len));
            list_indent = None;
            previous_blank = false;
            continue;
        }
        if line.is_empty() {
            out.push(String::new());
            previous_blank = true;
            list_indent = None;
            quote_open = false;
            continue;
        }
        if indent >= 4 && previous_blank && list_indent.is_none() {
            out.push("```text".to_owned());
            out.push(line[4..].to_owned());
            indented_block = true;
            previous_blank = false;
            continue;
        }
        if let Some(content) = list_item_content(body) {
            list_indent = Some(indent + content);
            out.push(line.to_owned());
        } else if let Some(width) = list_indent {
            // A continuation of a list item: indent it exactly as far as the item's text.
            out.push(format!("{}{}", " ".repeat(width), body));
        } else if quote_open && !body.starts_with('>') {
            out.push(format!("> {body}"));
        } else {
            out.push(line.to_owned());
        }
        quote_open = body.starts_with('>');
        previous_blank = false;
    }
    if indented_block {
        close_indented_block(&mut out);
    }
    if let Some((fence_char, fence_len)) = fence {
        out.push(fence_char.to_string().repeat(fence_len));
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

fn close_indented_block(out: &mut Vec<String>) {
    let mut trailing_blanks = 0;
    while out.last().is_some_and(String::is_empty) {
        out.pop();
        trailing_blanks += 1;
    }
    out.push("```".to_owned());
    out.extend(std::iter::repeat_n(String::new(), trailing_blanks));
}

/// For a list item line (`- x`, `* x`, `+ x`, `1. x`, `1) x`), the width of its marker.
fn list_item_content(body: &str) -> Option<usize> {
    let mut chars = body.char_indices();
    match chars.next()? {
        (_, '-' | '*' | '+') => body[1..].starts_with(' ').then_some(2),
        (_, c) if c.is_ascii_digit() => {
            let digits = body.chars().take_while(char::is_ascii_digit).count();
            let rest = &body[digits..];
            (digits <= 9 && (rest.starts_with(". ") || rest.starts_with(") ")))
                .then_some(digits + 2)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    fn joined(text: &str) -> String {
        sanitize(text).join("\n")
    }

    #[test]
    fn code_fences_are_relabelled_text() {
        let out = joined("Example:\n```rust\nstd::process::exit(1);\n```\nafter");
        assert_eq!(
            out,
            " Example:\n ```text\n std::process::exit(1);\n ```\n after"
        );
    }

    #[test]
    fn indented_code_becomes_a_text_fence() {
        let out = joined("Intro\n\n    fn main() {}\n    more\n\nOutro");
        assert_eq!(
            out,
            " Intro\n\n ```text\n fn main() {}\n more\n ```\n\n Outro"
        );
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(joined("```\nx"), " ```text\n x\n ```");
    }

    #[test]
    fn lazy_list_continuations_are_indented() {
        assert_eq!(joined("- one\ntwo\n- three"), " - one\n   two\n - three");
        assert_eq!(joined("10. ten\n        deep"), " 10. ten\n     deep");
    }

    #[test]
    fn control_characters_and_tabs_cannot_reach_the_output() {
        let out = joined("a\u{0}b\tc\r\nd\re\u{202E}f");
        assert_eq!(out, " a\u{FFFD}b    c\n d\n eU+202Ef");
    }
}
