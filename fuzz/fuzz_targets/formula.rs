//! A formula, as written in a methodology file (computed indicators,
//! cross-indicator rules, crosswalk transforms): parsing never panics or
//! overflows the stack, and evaluation never panics, whatever the values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use methodology::formula;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = formula::parse(src) else {
        return;
    };
    let values = [0.0, -0.0, 1.0, -1.0, 1e308, f64::NAN, f64::INFINITY, 1e-310];
    let vars = expr.vars();
    for (k, x) in values.iter().enumerate() {
        let _ = expr.eval(&|v| {
            let n = vars.iter().position(|w| *w == v).unwrap_or(0);
            ((n + k) % 3 != 0 || k == 0).then_some(*x)
        });
    }
});
