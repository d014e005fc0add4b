export * from './language';
export * from './catalogue';
export { AcceptLanguagePreference, createI18nModule, registerContentLanguage } from './i18n.module';
