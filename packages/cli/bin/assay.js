#!/usr/bin/env node
// Committed entry point, so npm links the bin at install time, before the TypeScript build has run.
import "../dist/main.js";
