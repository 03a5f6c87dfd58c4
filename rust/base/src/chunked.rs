//! A growable vector kept in fixed-size chunks: growing never moves what
//! is stored, so a large table never holds its old and new copies at once
//! (a `Vec` of a million environment entries briefly needs three times
//! their size when it doubles) and its slack is at most one chunk.

/// Elements per chunk.
const CHUNK: usize = 4096;

#[derive(Debug)]
pub struct ChunkedVec<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for ChunkedVec<T> {
    fn default() -> Self {
        ChunkedVec {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> ChunkedVec<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(value),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    /// Appends `fill()` until the length is at least `len`.
    pub fn resize_with(&mut self, len: usize, mut fill: impl FnMut() -> T) {
        while self.len < len {
            self.push(fill());
        }
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.chunks.get_mut(i / CHUNK)?.get_mut(i % CHUNK)
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_stay_in_order_across_chunks() {
        let mut v = ChunkedVec::default();
        let n = 3 * CHUNK + 5;
        for i in 0..n {
            v.push(i);
        }
        assert_eq!(v.len(), n);
        assert_eq!(v.get(CHUNK), Some(&CHUNK));
        assert_eq!(v.get(n - 1), Some(&(n - 1)));
        assert_eq!(v.get(n), None);
        *v.get_mut(CHUNK + 1).expect("in range") = 0;
        assert_eq!(v.get(CHUNK + 1), Some(&0));
        assert!(v.iter().enumerate().all(|(i, x)| *x == i || i == CHUNK + 1));
        assert_eq!(v.iter().count(), n);
        v.resize_with(n + CHUNK, || 7);
        assert_eq!((v.len(), v.get(n + CHUNK - 1)), (n + CHUNK, Some(&7)));
        v.resize_with(1, || 8);
        assert_eq!(v.len(), n + CHUNK);
    }

    #[test]
    fn growing_keeps_elements_in_place() {
        let mut v = ChunkedVec::default();
        v.push(1u64);
        let first = v.get(0).expect("pushed") as *const u64;
        for i in 0..10 * CHUNK as u64 {
            v.push(i);
        }
        assert_eq!(v.get(0).expect("pushed") as *const u64, first);
    }
}
