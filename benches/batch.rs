//! A batch of 1,000 sheets in-process: [`yoshiki::batch::run`] over a temp
//! folder holding 1,000 copies of the filled seed sheet, on rayon's
//! default pool (one thread per core). Each iteration reads, lays out,
//! renders and writes all 1,000 PDFs (over the previous iteration's);
//! criterion's throughput is sheets per second.
//!
//! Run: `cargo bench --bench batch`

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

const SHEETS: usize = 1000;

fn bench_batch(c: &mut Criterion) {
    let scratch = common::Scratch::new("batch");
    let input = common::sheet_copies(&scratch, SHEETS);
    let out = scratch.dir.join("out");
    let paths = vec![input];
    let run = || {
        let summary = yoshiki::batch::run(&paths, &out, &|_, _| {}).expect("batch");
        assert!(summary.failures.is_empty(), "{} failed: {}", summary.failures.len(), summary.failures[0].error);
        assert_eq!(summary.documents, SHEETS);
        summary.pages
    };
    eprintln!("batch: {} threads, {SHEETS} sheets, {} pages", rayon::current_num_threads(), run());

    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(SHEETS as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(60));
    group.bench_function("sheets_1000", |b| b.iter(|| black_box(run())));
    group.finish();
}

criterion_group!(benches, bench_batch);
criterion_main!(benches);
