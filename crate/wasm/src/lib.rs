//! lagmix-wasm: the browser binding. OWNER: web helper.
