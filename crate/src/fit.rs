//! Optimizing the profiled criterion over theta. OWNER: lead.
