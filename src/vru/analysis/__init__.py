"""Analysis methods: one module per method, pure functions over DataFrames and arrays, no I/O."""
