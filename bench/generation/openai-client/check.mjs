// Drives seqserve's /v1/completions with OpenAI's official Node client, unmodified: only baseURL points
// at seqserve. Usage: npm install && node check.mjs http://127.0.0.1:19123/v1 shakespeare-gru
import OpenAI from 'openai';

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'unused' });

const completion = await client.completions.create({ model, prompt: 'ROMEO:', max_tokens: 40, temperature: 0.8, seed: 7 });
console.log('completion:', JSON.stringify(completion));

const stream = await client.completions.create({ model, prompt: 'ROMEO:', max_tokens: 40, temperature: 0.8, seed: 7, stream: true,
  stream_options: { include_usage: true } });
let text = '';
let finish = null;
let usage = null;
for await (const chunk of stream) {
  for (const choice of chunk.choices) {
    text += choice.text;
    finish = choice.finish_reason ?? finish;
  }
  usage = chunk.usage ?? usage;
}
console.log('streamed:', JSON.stringify({ text, finish, usage }));
if (text !== completion.choices[0].text) {
  throw new Error('streamed text differs from the completion');
}

try {
  await client.completions.create({ model: 'no-such-model', prompt: 'x' });
} catch (e) {
  console.log('unknown model:', e.constructor.name, e.status);
}
console.log('OK: the OpenAI client works against seqserve');
