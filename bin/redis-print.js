#!/usr/bin/env node
// Thin launcher: the only place that touches `process`. Everything else is main(argv, io) → exit code.
import { run } from '../dist/cli/process.js';

run();
