export { ShanghaiTimestampsInterceptor, toShanghaiTimestamps, UtcTimestamps } from './shanghai-timestamps';
