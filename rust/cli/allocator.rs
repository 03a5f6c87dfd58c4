//! The process's allocator: mimalloc, with its options set before the first
//! allocation and transparent huge pages off.
//!
//! Compile, check and profile allocate millions of small terms and names;
//! glibc malloc spent ~22% of `ix compile` in malloc/free/consolidate (perf).

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc as the global allocator. Every mimalloc block is aligned to a
/// word, so a layout that needs no more takes the plain entry points:
/// the aligned ones re-check the alignment on every call and take a slower
/// path whenever a page's free list runs dry (2% of `ix check`'s
/// instructions, BENCHMARKS.md).
struct Mimalloc;

const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: every entry point hands the layout's size (and, past a word, its
// alignment) to mimalloc, which returns a block of at least that size and
// alignment or null; blocks are freed and resized only by mimalloc.
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { allocate(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe { allocate(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (the
        // caller's contract); the alignment is kept as above.
        unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

/// A block for `layout` from `plain` (size) when a word's alignment is
/// enough, else from `aligned` (size, alignment).
///
/// # Safety
/// `plain` and `aligned` are mimalloc allocation functions of those
/// signatures.
#[inline(always)]
unsafe fn allocate(
    layout: Layout,
    plain: unsafe extern "C" fn(usize) -> *mut c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut c_void,
) -> *mut u8 {
    // SAFETY: the caller's contract; both return null or a block of at
    // least the layout's size and alignment.
    unsafe {
        if layout.align() <= WORD {
            plain(layout.size()).cast()
        } else {
            aligned(layout.size(), layout.align()).cast()
        }
    }
}

/// mimalloc's `mi_option_arena_eager_commit` and `mi_option_purge_delay`
/// (mimalloc.h, v3). Arenas committed eagerly are backed with huge pages,
/// which stay resident while any small object in them lives; freed pages
/// are returned after 10 ms: at once cost `ix check` half its system time
/// (madvise calls, and page faults on reuse), mimalloc's default delay
/// ~5% of its peak RSS (docs/benchmarks-history.md, "... and the purge delay").
const MI_OPTION_ARENA_EAGER_COMMIT: mi::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: mi::mi_option_t = 15;
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Turns transparent huge pages off for the process. mimalloc advises its
/// first arena for them while the runtime starts, before `main` could set
/// an option, and a 2 MiB page stays resident while any small object in it
/// lives: ~15% of `ix check`'s peak RSS on a 100k-block library, for no
/// measurable time (docs/benchmarks-history.md, "Peak memory of `ix check` on NDJSON").
pub fn disable_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag
    // on this process; a kernel without it returns an error, ignored.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Runs [`set_allocator_options`] while the process loads, before the
/// runtime's first allocation: mimalloc reserves its first arena then, and
/// `ix check`'s whole heap fits in it, so options set in `main` came too
/// late for it (+4% peak RSS at 100k blocks, docs/benchmarks-history.md).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = set_allocator_options;

pub extern "C" fn set_allocator_options() {
    // SAFETY: sets two of the allocator's global options; no allocation is
    // in flight, and mimalloc reads them when it reserves or purges memory.
    unsafe {
        mi::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        mi::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
}
