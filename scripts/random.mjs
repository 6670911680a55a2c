// The seeded random numbers of the repo's data generators (scripts/make-example.mjs,
// bench/make_panel.mjs): the same seed gives the same file on every machine and Node version.

/** mulberry32, a 32-bit PRNG by Tommy Ettinger (public domain): uniform numbers in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal number from two uniform ones (Box-Muller). */
export function standardNormal(uniform) {
  const u1 = 1 - uniform(); // in (0, 1], so the logarithm is finite
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
