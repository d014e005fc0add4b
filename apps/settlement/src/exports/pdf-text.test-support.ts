import { execFileSync } from 'node:child_process';

/**
 * The PDF's text, page by page, as a reader extracts it (pdf-parse, on Mozilla's pdf.js). pdf.js loads its
 * worker with a dynamic import(), which Jest's module sandbox refuses, so it runs in a plain node process.
 */
export function pdfPages(pdf: Buffer): string[] {
  const script = `
    const { PDFParse } = require(${JSON.stringify(require.resolve('pdf-parse'))});
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
      const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
      const result = await parser.getText();
      await parser.destroy();
      process.stdout.write(JSON.stringify(result.pages.map((p) => p.text)));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { input: pdf, encoding: 'utf8' })) as string[];
}
