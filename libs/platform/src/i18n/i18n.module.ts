import { ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { DynamicModule } from '@nestjs/common';
import { I18nLoader, I18nModule, I18nResolver, I18nTranslation } from 'nestjs-i18n';
import { catalogues, formatMessage } from './catalogue';
import { DEFAULT_LANGUAGE, LANGUAGES, preferredLanguage } from './language';

/** Hands nestjs-i18n the catalogues read by catalogue.ts, so exceptions and the module read the same files. */
class CatalogueLoader extends I18nLoader {
  async languages(): Promise<string[]> {
    return [...LANGUAGES];
  }

  async load(): Promise<I18nTranslation> {
    return catalogues() as unknown as I18nTranslation;
  }
}

/** Accept-Language with q-values: zh, zh-CN and zh-Hans answer in zh-CN, everything else in en. */
@Injectable()
export class AcceptLanguagePreference implements I18nResolver {
  resolve(context: ExecutionContext): string {
    const request = context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> }>();
    return preferredLanguage(request?.headers?.['accept-language']);
  }
}

/** nestjs-i18n for every service: I18nService and I18nContext.current() translate with the request's language. */
export function createI18nModule(): DynamicModule {
  return I18nModule.forRoot({
    fallbackLanguage: DEFAULT_LANGUAGE,
    loaders: [new CatalogueLoader()],
    resolvers: [AcceptLanguagePreference],
    formatter: (template, ...args) =>
      formatMessage(template, (args.find((a) => typeof a === 'object') ?? {}) as Record<string, string | number>),
    logging: false,
  });
}

/** Every answer says which language it is in, and caches keep the languages apart. */
export function registerContentLanguage(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('content-language', preferredLanguage(request.headers['accept-language']));
    const vary = reply.getHeader('vary');
    if (!vary) reply.header('vary', 'Accept-Language');
    else if (!/accept-language/i.test(String(vary))) reply.header('vary', `${String(vary)}, Accept-Language`);
  });
}
