#!/usr/bin/env node
import '../dist/bundle/amnesia.js';
