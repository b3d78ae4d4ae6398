//! [`paginate`]: turning a "fetch one page" function into a stream of every item.
//!
//! The helper knows nothing about how an API paginates (cursor, page number, offset, link):
//! `fetch` gets the parameters of one page and returns its items plus the parameters of the
//! next page, or `None` after the last one. [`Stream`] and [`StreamExt`] are re-exported so
//! callers need no `futures` dependency to consume the stream.

use std::future::Future;

use futures_util::stream;
pub use futures_util::stream::{Stream, StreamExt};

use crate::error::TooManyPages;

/// The default maximum number of pages [`paginate`] fetches.
pub const DEFAULT_MAX_PAGES: usize = 100_000;

/// Every item of every page, in order: fetches the page for `first`, yields its items, then
/// fetches the page for the parameters `fetch` returned with it, and so on until `fetch`
/// returns `None` as the next page.
///
/// An error from `fetch` is yielded as the stream's last item. Pages are fetched lazily, one
/// at a time, when the items of the previous one have been consumed; an empty page with a
/// next page is skipped over. At most [`DEFAULT_MAX_PAGES`] pages are fetched (see
/// [`paginate_with_limit`]), so a server whose cursor never ends cannot make the stream run
/// forever.
///
/// The stream is not `Unpin`; pin it (`std::pin::pin!`) before calling
/// [`next`](StreamExt::next).
///
/// ```
/// use forge_runtime::paginate::{paginate, StreamExt};
///
/// # async fn demo() -> Result<(), forge_runtime::Error> {
/// // Pages of three numbers, cursor = the first number of the page, up to 9.
/// let numbers = paginate(0_u32, |start| async move {
///     let items: Vec<u32> = (start..start + 3).collect();
///     let next = (start + 3 < 9).then_some(start + 3);
///     Ok::<_, forge_runtime::Error>((items, next))
/// });
/// let mut numbers = std::pin::pin!(numbers);
/// let mut all = Vec::new();
/// while let Some(n) = numbers.next().await {
///     all.push(n?);
/// }
/// assert_eq!(all, (0..9).collect::<Vec<_>>());
/// # Ok(())
/// # }
/// ```
pub fn paginate<T, P, Err, Fut, F>(first: P, fetch: F) -> impl Stream<Item = Result<T, Err>>
where
    F: FnMut(P) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<P>), Err>>,
    Err: From<TooManyPages>,
{
    paginate_with_limit(first, DEFAULT_MAX_PAGES, fetch)
}

/// The stream a generated `_stream` method returns: boxed, so its type stays short to name.
pub type Paged<'a, T, Err = crate::Error> =
    std::pin::Pin<Box<dyn Stream<Item = Result<T, Err>> + Send + 'a>>;

/// [`paginate`], boxed as a [`Paged`] stream.
pub fn paged<'a, T, P, Err, Fut, F>(first: P, fetch: F) -> Paged<'a, T, Err>
where
    T: Send + 'a,
    P: Send + 'a,
    Err: From<TooManyPages> + Send + 'a,
    F: FnMut(P) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<P>), Err>> + Send + 'a,
{
    Box::pin(paginate(first, fetch))
}

/// As [`paginate`], fetching at most `max_pages` pages (at least 1). When the last allowed
/// page still names a next one, the stream ends with an error item converted from
/// [`TooManyPages`] (for [`Error`](crate::Error): [`ErrorKind::TooManyPages`](crate::ErrorKind::TooManyPages))
/// instead of fetching it.
pub fn paginate_with_limit<T, P, Err, Fut, F>(
    first: P,
    max_pages: usize,
    fetch: F,
) -> impl Stream<Item = Result<T, Err>>
where
    F: FnMut(P) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<P>), Err>>,
    Err: From<TooManyPages>,
{
    let state = Pages {
        items: Vec::new().into_iter(),
        next: Some(first),
        fetch,
        fetched: 0,
        max_pages: max_pages.max(1),
    };
    stream::unfold(Some(state), |state| async move {
        // `None`: the stream has ended (after the last item or an error).
        let mut state = state?;
        loop {
            if let Some(item) = state.items.next() {
                return Some((Ok(item), Some(state)));
            }
            let params = state.next.take()?;
            if state.fetched >= state.max_pages {
                let error = TooManyPages {
                    max_pages: state.max_pages,
                };
                return Some((Err(error.into()), None));
            }
            state.fetched += 1;
            match (state.fetch)(params).await {
                Ok((items, next)) => {
                    state.items = items.into_iter();
                    state.next = next;
                }
                Err(error) => return Some((Err(error), None)),
            }
        }
    })
}

/// Where a [`paginate`] stream is.
struct Pages<T, P, F> {
    /// The rest of the current page.
    items: std::vec::IntoIter<T>,
    /// The parameters of the next page to fetch, if any.
    next: Option<P>,
    fetch: F,
    /// Pages fetched so far.
    fetched: usize,
    max_pages: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Error, ErrorKind, Method, Operation};
    use std::cell::RefCell;

    const LIST: Operation = Operation {
        id: "listThings",
        method: Method::GET,
        path: "/things",
    };

    /// A fake API with three pages, behind cursors `None`, `"b"`, `"c"`.
    fn page(cursor: Option<&str>) -> (Vec<u32>, Option<Option<String>>) {
        match cursor {
            None => (vec![1, 2], Some(Some("b".into()))),
            Some("b") => (vec![3, 4, 5], Some(Some("c".into()))),
            _ => (vec![6], None),
        }
    }

    async fn collect<T, E>(stream: impl Stream<Item = Result<T, E>>) -> Vec<Result<T, E>> {
        stream.collect().await
    }

    #[tokio::test]
    async fn every_item_once_in_order() {
        let calls = RefCell::new(Vec::new());
        let stream = paginate(None::<String>, |cursor| {
            calls.borrow_mut().push(cursor.clone());
            let (items, next) = page(cursor.as_deref());
            async move { Ok::<_, Error>((items, next)) }
        });
        let items: Vec<u32> = collect(stream)
            .await
            .into_iter()
            .map(|r| r.expect("no error"))
            .collect();
        assert_eq!(items, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(
            calls.into_inner(),
            vec![None, Some("b".to_owned()), Some("c".to_owned())]
        );
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let calls = RefCell::new(0);
        let stream = paginate(None::<String>, |cursor| {
            *calls.borrow_mut() += 1;
            let result = match cursor.as_deref() {
                Some("b") => Err(Error::<crate::Untyped>::new(
                    &LIST,
                    ErrorKind::InvalidRequest("page 2 failed".into()),
                )),
                other => Ok(page(other)),
            };
            async move { result }
        });
        let results = collect(stream).await;
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].as_ref().ok(), Some(&1));
        assert_eq!(results[1].as_ref().ok(), Some(&2));
        let err = results[2].as_ref().expect_err("page 2 fails");
        assert!(err.to_string().contains("page 2 failed"), "{err}");
        assert_eq!(calls.into_inner(), 2, "nothing is fetched after the error");
    }

    #[tokio::test]
    async fn empty_pages_are_skipped_and_pages_are_capped() {
        // Every page is empty and points to the next: the cap ends it.
        let calls = RefCell::new(0_usize);
        let stream = paginate_with_limit(0_u64, 5, |n| {
            *calls.borrow_mut() += 1;
            async move { Ok::<_, Error>((Vec::<u8>::new(), Some(n + 1))) }
        });
        let results = collect(stream).await;
        assert_eq!(results.len(), 1);
        let err = results[0].as_ref().expect_err("cap");
        assert!(matches!(
            err.kind(),
            ErrorKind::TooManyPages { max_pages: 5 }
        ));
        assert_eq!(calls.into_inner(), 5);

        // Exactly `max_pages` pages is fine.
        let stream = paginate_with_limit(0_u64, 3, |n| async move {
            Ok::<_, Error>((vec![n], (n < 2).then_some(n + 1)))
        });
        let items: Vec<u64> = collect(stream)
            .await
            .into_iter()
            .map(|r| r.expect("within the cap"))
            .collect();
        assert_eq!(items, vec![0, 1, 2]);

        // A limit of 0 still fetches the first page.
        let stream = paginate_with_limit((), 0, |()| async { Ok::<_, Error>((vec![7], None)) });
        assert_eq!(collect(stream).await.len(), 1);
    }

    /// The error type is generic: any type convertible from `TooManyPages`.
    #[tokio::test]
    async fn custom_error_types_work() {
        #[derive(Debug, PartialEq)]
        enum MyError {
            Limit(usize),
        }
        impl From<TooManyPages> for MyError {
            fn from(e: TooManyPages) -> Self {
                MyError::Limit(e.max_pages)
            }
        }
        let stream = paginate_with_limit(0, 2, |n: i32| async move {
            Ok::<_, MyError>((vec![n], Some(n + 1)))
        });
        let results = collect(stream).await;
        assert_eq!(results, vec![Ok(0), Ok(1), Err(MyError::Limit(2))]);
    }
}
