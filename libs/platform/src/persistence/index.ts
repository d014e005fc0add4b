export { textArrayLiteral } from './text-array-literal';
export { copyField, copyRows } from './copy-rows';
