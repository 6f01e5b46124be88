//! A second thread for the long jobs of writing a single document:
//! deflating its font programs and page contents, while this thread
//! assembles the rest of the file.
//!
//! A font program is glyph outlines that deflate slowly (the plan's
//! 165 KB take 15 M of its 66 M instructions), and nothing in the file
//! needs it until the font objects are added last (`pdf::objects`); each
//! page's content stream is needed only when the pages are put together.
//! On a machine with a second core, that work need not cost wall time.
//!
//! When: `render` and `blank` write one document and call [`allow`];
//! `pdf::document` then calls [`start`] for a document of [`WORTH_PAGES`]
//! pages or more. `batch` and `serve` never allow it (their cores already
//! have documents of their own), and without a helper every job runs at
//! once, on the thread that asks. A job's result is a pure function of its
//! input: which thread runs it changes the time taken, never a byte
//! (`tests/batch_order.rs` compares both).
//!
//! How: [`start`] starts one helper thread, kept off the core of the thread
//! that started it (on the 2-core VM we measure on, Linux was seen to put
//! the new thread on its parent's core, where it waited 0.1–2 ms, as long
//! as the job itself). Jobs go into a queue ([`Later::run`]); the helper
//! takes them in order, and a thread that needs a result which is not
//! ready runs queued jobs itself meanwhile ([`Later::get`]), so neither
//! core idles while work is left. [`stop`] lets the helper end once the
//! document is made.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// The queue the helper thread takes its jobs from.
struct Queue {
    jobs: Mutex<Jobs>,
    posted: Condvar,
}

#[derive(Default)]
struct Jobs {
    queued: VecDeque<Job>,
    /// [`stop`] was called: the helper ends once the queue is empty.
    closed: bool,
}

impl Queue {
    /// Queue `job`, or give it back if the helper has stopped.
    fn push(&self, job: Job) -> Option<Job> {
        let mut jobs = self.jobs.lock().expect("job queue");
        if jobs.closed {
            return Some(job);
        }
        jobs.queued.push_back(job);
        self.posted.notify_one();
        None
    }

    fn pop(&self) -> Option<Job> {
        self.jobs.lock().expect("job queue").queued.pop_front()
    }

    /// The helper thread: run jobs as they come, until [`stop`].
    fn serve(&self) {
        // The compressor's tables are allocated and touched now, while the
        // other thread plans the font subsets, not when a job is waiting.
        super::deflate::zlib(b"warm up");
        loop {
            let job = {
                let mut jobs = self.jobs.lock().expect("job queue");
                loop {
                    match jobs.queued.pop_front() {
                        Some(job) => break job,
                        None if jobs.closed => return,
                        None => jobs = self.posted.wait(jobs).expect("job queue"),
                    }
                }
            };
            job();
        }
    }
}

/// The queue, once [`start`] has made it (`None`: no helper thread).
static QUEUE: OnceLock<Option<&'static Queue>> = OnceLock::new();

/// The helper thread's name (in `top -H`, a debugger, a panic message).
const HELPER_NAME: &str = "yoshiki-deflate";

/// [`allow`] was called.
static ALLOWED: AtomicBool = AtomicBool::new(false);

/// The fewest pages for which a helper thread pays. A 2-page sheet leaves
/// this thread too little to do while its font program is deflated
/// (0.5 ms against 1.2 ms), and starting, feeding and ending a thread
/// costs about 0.25 ms: measured no faster (`docs/performance.md`,
/// "Round 4"). The 6- and 7-page plan years are about 0.7–1 ms faster.
pub const WORTH_PAGES: usize = 3;

/// Let [`start`] start a helper thread: for a command that writes one
/// document.
pub fn allow() {
    ALLOWED.store(true, Ordering::Relaxed);
}

/// Start the helper thread, once per process, if [`allow`] was called.
/// Without a second core, or if the system refuses a thread, there is
/// none: jobs run at once.
pub fn start() {
    if !ALLOWED.load(Ordering::Relaxed) {
        return;
    }
    QUEUE.get_or_init(|| {
        let cores = other_cores()?;
        let queue: &'static Queue = Box::leak(Box::new(Queue { jobs: Mutex::default(), posted: Condvar::new() }));
        // Ctrl-C must reach the thread writing the output, which holds it
        // back while its temporary file exists: the helper never takes it.
        let helper = crate::output::start_without_termination_signals(|| {
            std::thread::Builder::new().name(HELPER_NAME.into()).spawn(move || queue.serve())
        })
        .ok()?;
        cores.pin(&helper);
        Some(queue)
    });
}

/// Let the helper thread end once its queue is empty; later jobs run at
/// once. Called when the document is made: a process cannot end before
/// all its threads have, and a helper asleep on an idle core took
/// 0.1–0.3 ms to wake for that after the output was written; told now, it
/// ends while the file is written.
pub fn stop() {
    if let Some(Some(queue)) = QUEUE.get() {
        queue.jobs.lock().expect("job queue").closed = true;
        queue.posted.notify_one();
    }
}

/// The cores this thread may run on other than the one it is on: where
/// the helper thread goes. `None` if there is no other.
#[cfg(target_os = "linux")]
fn other_cores() -> Option<Cores> {
    // Not `std::thread::available_parallelism`: it also reads the cgroup
    // files under /proc and /sys, 0.1 ms of a cold `render` on our VM.
    // SAFETY: `set` is a plain bit set, zeroed, then filled and changed by
    // libc within its size.
    unsafe {
        let here = libc::sched_getcpu();
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if here < 0 || libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return None;
        }
        libc::CPU_CLR(here as usize, &mut set);
        (libc::CPU_COUNT(&set) > 0).then_some(Cores(set))
    }
}

#[cfg(not(target_os = "linux"))]
fn other_cores() -> Option<Cores> {
    (std::thread::available_parallelism().map_or(1, usize::from) > 1).then_some(Cores)
}

/// Cores to keep a thread on (see [`other_cores`]).
#[cfg(target_os = "linux")]
struct Cores(libc::cpu_set_t);

#[cfg(not(target_os = "linux"))]
struct Cores;

impl Cores {
    /// Keep `thread` on these cores (see the module documentation); the
    /// scheduler may still move the other threads here.
    #[cfg(target_os = "linux")]
    fn pin<T>(&self, thread: &std::thread::JoinHandle<T>) {
        use std::os::unix::thread::JoinHandleExt;
        // SAFETY: the set is read within its size; the handle is alive.
        unsafe {
            libc::pthread_setaffinity_np(thread.as_pthread_t(), std::mem::size_of::<libc::cpu_set_t>(), &self.0);
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn pin<T>(&self, _thread: &std::thread::JoinHandle<T>) {}
}

/// A value being made by a queued job (or made already).
pub struct Later<T>(Arc<OnceLock<Option<T>>>);

impl<T: Send + Sync + 'static> Later<T> {
    /// Queue `job` for the helper thread; without one, run it now.
    pub fn run(job: impl FnOnce() -> T + Send + 'static) -> Later<T> {
        let Some(Some(queue)) = QUEUE.get() else { return Later::ready(job()) };
        let cell = Arc::new(OnceLock::new());
        let theirs = Arc::clone(&cell);
        // A job that panics leaves `None`: the thread that wants its value
        // panics too, after the job's own panic message.
        let job: Job = Box::new(move || {
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).ok();
            let _ = theirs.set(made);
        });
        // The helper has stopped: run it here.
        if let Some(job) = queue.push(job) {
            job();
        }
        Later(cell)
    }

    /// A value made already.
    pub fn ready(value: T) -> Later<T> {
        Later(Arc::new(OnceLock::from(Some(value))))
    }

    /// The value. Until it is made, this thread runs queued jobs (this
    /// one, if the helper has not taken it yet), then waits.
    pub fn get(&self) -> &T {
        let made = loop {
            if let Some(made) = self.0.get() {
                break made;
            }
            match QUEUE.get().copied().flatten().and_then(Queue::pop) {
                Some(job) => job(),
                None => break self.0.wait(),
            }
        };
        made.as_ref().expect("a background job panicked")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_give_their_values_on_whichever_thread_runs_them() {
        let jobs: Vec<Later<u64>> = (0..200u64).map(|n| Later::run(move || (0..=n).sum())).collect();
        allow();
        start();
        let more: Vec<Later<u64>> = (0..200u64).map(|n| Later::run(move || n * n + 7)).collect();
        for (n, job) in (0..200u64).zip(&jobs) {
            assert_eq!(*job.get(), n * (n + 1) / 2);
        }
        for (n, job) in (0..200u64).zip(&more) {
            assert_eq!(*job.get(), n * n + 7);
        }
        assert_eq!(*Later::ready(7).get(), 7);
    }

    #[test]
    fn the_helper_thread_takes_jobs_and_never_takes_ctrl_c() {
        if std::thread::available_parallelism().map_or(1, usize::from) < 2 {
            eprintln!("one core: no helper thread to test");
            return;
        }
        allow();
        start();
        // What a job sees of its thread: the helper's name, and whether
        // SIGINT is held back there.
        let on_helper = || {
            let name = std::thread::current().name() == Some(HELPER_NAME);
            // SAFETY: reads this thread's signal mask into a zeroed set.
            let holds_sigint = unsafe {
                let mut mask: libc::sigset_t = std::mem::zeroed();
                libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut mask);
                libc::sigismember(&mask, libc::SIGINT) == 1
            };
            (name, holds_sigint)
        };
        // A thread that waits for a result runs queued jobs itself, so this
        // one waits only after giving the helper time to take the job
        // (other tests' jobs may be ahead of it).
        let seen = (0..20).find_map(|_| {
            let job = Later::run(on_helper);
            std::thread::sleep(std::time::Duration::from_millis(50));
            let (name, holds_sigint) = *job.get();
            name.then_some(holds_sigint)
        });
        let holds_sigint = seen.expect("no job ever ran on the helper thread");
        // Ctrl-C must go to the thread writing the output.
        assert!(holds_sigint, "the helper thread can take SIGINT");
    }

    #[test]
    fn a_job_that_panics_panics_its_reader() {
        allow();
        start();
        let caught = std::panic::catch_unwind(|| *Later::run(|| -> u8 { panic!("this job fails") }).get());
        let payload = caught.expect_err("the job's panic did not reach its reader");
        let message = payload.downcast_ref::<&str>().copied().or(payload.downcast_ref::<String>().map(String::as_str));
        // Queued (a helper thread): the reader's message; run at once
        // (one core, no helper): the job's own.
        assert!(matches!(message, Some("a background job panicked" | "this job fails")), "{message:?}");
    }
}
