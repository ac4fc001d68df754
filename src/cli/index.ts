#!/usr/bin/env node
console.log('vnplan: not yet');
