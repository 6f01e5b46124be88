//! One document in-process: reading, layout, layout + PDF; and how each
//! scales with 10× the content.
//!
//! - `sheet/*`: the filled seed sheet (`data/shinko-kanri/r07-no06.yaml`);
//! - `plan/*`: the plan table (`data/jinzai-plan/h30-r04.yaml`, its
//!   default year, the period's last);
//!   - `from_data`: read the data file and its layout, check the values;
//!   - `lay_out`: [`Form::lay_out`] on a form read once outside the loop;
//!   - `render`: [`Form::render`], layout and PDF bytes (nothing written);
//! - `scaling/*/{1,10}`: synthetic data written to a temp folder — the
//!   sheet with its 目標 1× and 10× as long, the plan with every 小項目's
//!   取組 list 1× and 10× as long. The ratio 10×/1× is printed at the end
//!   (median of a few runs; the target is ≤ 10.5).
//!
//! Run: `cargo bench --bench render` (filter: `cargo bench --bench render -- plan/`)

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use yoshiki::Form;

fn form(path: &Path) -> Form {
    Form::from_data(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lay_out(form: &Form) -> usize {
    let mut warnings = Vec::new();
    form.lay_out(&mut warnings).expect("lay out").pages.len()
}

fn bench_documents(c: &mut Criterion) {
    for (name, path) in [("sheet", common::sheet_path()), ("plan", common::plan_path())] {
        let f = form(&path);
        let mut group = c.benchmark_group(name);
        group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
        group.bench_function("from_data", |b| b.iter(|| black_box(form(black_box(&path)))));
        group.bench_function("lay_out", |b| b.iter(|| black_box(lay_out(&f))));
        group.bench_function("render", |b| b.iter(|| black_box(f.render().expect("render").pdf.len())));
        group.finish();
    }
}

/// Median wall time of `runs` calls, in seconds.
fn median(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(|a, b| a.partial_cmp(b).unwrap());
    t[runs / 2]
}

fn bench_scaling(c: &mut Criterion) {
    let scratch = common::Scratch::new("scaling");
    let factors = [1usize, 10];
    let sheets: Vec<Form> =
        factors.iter().map(|&n| form(&scratch.write(&format!("sheet-x{n}.yaml"), &common::sheet_scaled(n)))).collect();
    let plans: Vec<Form> = factors
        .iter()
        .map(|&n| {
            let data = common::plan_scaled(n);
            eprintln!("plan ×{n}: {} rows (取組)", common::plan_rows(&data));
            form(&scratch.write(&format!("plan-x{n}.yaml"), &data))
        })
        .collect();
    for (i, n) in factors.iter().enumerate() {
        eprintln!("sheet ×{n}: {} pages; plan ×{n}: {} pages", lay_out(&sheets[i]), lay_out(&plans[i]));
    }

    let mut group = c.benchmark_group("scaling");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for (kind, forms) in [("sheet", &sheets), ("plan", &plans)] {
        for (i, n) in factors.iter().enumerate() {
            let f = &forms[i];
            group.bench_with_input(BenchmarkId::new(format!("{kind}_lay_out"), n), f, |b, f| {
                b.iter(|| black_box(lay_out(f)))
            });
            group.bench_with_input(BenchmarkId::new(format!("{kind}_render"), n), f, |b, f| {
                b.iter(|| black_box(f.render().expect("render").pdf.len()))
            });
        }
    }
    group.finish();

    // The ratios, from a few plain runs (criterion keeps its own figures).
    eprintln!("\nscaling, median time 10× / 1× (target ≤ 10.5):");
    for (kind, forms) in [("sheet", &sheets), ("plan", &plans)] {
        let runs = 11;
        let l1 = median(runs, || _ = black_box(lay_out(&forms[0])));
        let l10 = median(runs, || _ = black_box(lay_out(&forms[1])));
        let r1 = median(runs, || _ = black_box(forms[0].render().unwrap()));
        let r10 = median(runs, || _ = black_box(forms[1].render().unwrap()));
        eprintln!(
            "  {kind:5} lay_out {:8.2} ms → {:8.2} ms  ×{:.2}   render {:8.2} ms → {:8.2} ms  ×{:.2}",
            l1 * 1e3,
            l10 * 1e3,
            l10 / l1,
            r1 * 1e3,
            r10 * 1e3,
            r10 / r1
        );
    }
}

criterion_group!(benches, bench_documents, bench_scaling);
criterion_main!(benches);
