// The official OpenAI (chat completions and Responses), Anthropic and Google Gen AI SDKs against a running relay whose upstreams are the
// project's fake provider (tests/support/FakeProvider): every client format x upstream type x
// feature. Prints one line per case and a final JSON summary; exits 1 if any case failed.
// Run by tests/app/TestSdkClients, which starts the relay and the fake.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

const baseURL = process.env.RELAY_URL;
const apiKey = process.env.RELAY_KEY;
const upstreams = ['openai', 'anthropic', 'gemini'];
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    properties: { query: { type: 'string', description: 'the question' } },
    required: ['query'],
  },
};

const openai = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0 });
const anthropic = new Anthropic({ baseURL, apiKey, maxRetries: 0 });
const genai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: baseURL } });

let passed = 0;
const failures = [];
function expect(condition, what) {
  if (!condition) throw new Error(what);
}

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}: ${e && e.message ? e.message : e}`);
  }
}

// ---- OpenAI SDK ---------------------------------------------------------------------------
const oaTools = [{ type: 'function', function: weatherTool }];

async function openaiStreamText(params) {
  const stream = await openai.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
  let text = '', reasoning = '', finish = null, usage = null;
  const calls = [];
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    text += choice.delta.content ?? '';
    reasoning += choice.delta.reasoning_content ?? '';
    for (const call of choice.delta.tool_calls ?? []) {
      calls[call.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } };
      if (call.id) calls[call.index].id = call.id;
      if (call.function?.name) calls[call.index].function.name += call.function.name;
      if (call.function?.arguments) calls[call.index].function.arguments += call.function.arguments;
      if (call.extra_content) calls[call.index].extra_content = call.extra_content;
    }
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  return { text, reasoning, finish, usage, calls };
}

async function openaiCases(up) {
  const model = `${up}-chat`;
  const think = `${up}-think`;
  const user = { role: 'user', content: 'Weather in Paris?' };

  await check(`openai-sdk ${up} chat`, async () => {
    const r = await openai.chat.completions.create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] });
    expect(r.choices[0].message.content === 'Echo: Hello', `content ${JSON.stringify(r.choices[0].message.content)}`);
    expect(r.choices[0].finish_reason === 'stop', `finish ${r.choices[0].finish_reason}`);
    expect(r.usage.prompt_tokens > 0 && r.usage.completion_tokens > 0, 'usage');
    expect(r.id.startsWith('chatcmpl-') && r.object === 'chat.completion' && r.created > 1.6e9, 'id/object/created shape');
  });
  await check(`openai-sdk ${up} stream`, async () => {
    const r = await openaiStreamText({ model, messages: [{ role: 'user', content: 'Hello' }] });
    expect(r.text === 'Echo: Hello', `text ${JSON.stringify(r.text)}`);
    expect(r.finish === 'stop', `finish ${r.finish}`);
    expect(r.usage && r.usage.total_tokens > 0, 'usage chunk');
  });
  await check(`openai-sdk ${up} tools`, async () => {
    const first = await openai.chat.completions.create({ model, messages: [user], tools: oaTools, tool_choice: 'auto' });
    const msg = first.choices[0].message;
    expect(first.choices[0].finish_reason === 'tool_calls', `finish ${first.choices[0].finish_reason}`);
    expect(msg.tool_calls?.length === 1 && msg.tool_calls[0].function.name === 'get_weather', 'tool call');
    expect(JSON.parse(msg.tool_calls[0].function.arguments).query === 'Weather in Paris?', 'arguments');
    const second = await openai.chat.completions.create({ model, tools: oaTools, messages: [user, msg, { role: 'tool', tool_call_id: msg.tool_calls[0].id, content: '18C' }] });
    expect(second.choices[0].message.content.includes('18C'), `final ${second.choices[0].message.content}`);
  });
  await check(`openai-sdk ${up} tools-stream`, async () => {
    const first = await openaiStreamText({ model, messages: [user], tools: oaTools });
    expect(first.finish === 'tool_calls' && first.calls.length === 1, `finish ${first.finish}`);
    expect(JSON.parse(first.calls[0].function.arguments).query === 'Weather in Paris?', 'arguments joined from fragments');
    const assistant = { role: 'assistant', content: null, tool_calls: first.calls.map(({ extra_content, ...c }) => c) };
    const second = await openaiStreamText({ model, tools: oaTools, messages: [user, assistant, { role: 'tool', tool_call_id: first.calls[0].id, content: '18C' }] });
    expect(second.text.includes('18C') && second.finish === 'stop', `final ${second.text}`);
  });
  await check(`openai-sdk ${up} image`, async () => {
    const r = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }] });
    expect(r.choices[0].message.content === 'I see 1 image(s): image/png', `content ${r.choices[0].message.content}`);
  });
  await check(`openai-sdk ${up} thinking`, async () => {
    const s = await openaiStreamText({ model: think, reasoning_effort: 'low', messages: [{ role: 'user', content: 'Hello' }] });
    expect(s.reasoning === 'Thinking about: Hello', `reasoning ${JSON.stringify(s.reasoning)}`);
    expect(s.text === 'Echo: Hello', `text ${s.text}`);
    // A tool round trip with the assistant message passed back as received.
    const first = await openai.chat.completions.create({ model: think, reasoning_effort: 'low', messages: [user], tools: oaTools });
    const msg = first.choices[0].message;
    expect(msg.reasoning_content === 'Thinking about: Weather in Paris?', 'reasoning_content');
    const second = await openai.chat.completions.create({ model: think, reasoning_effort: 'low', tools: oaTools, messages: [user, msg, { role: 'tool', tool_call_id: msg.tool_calls[0].id, content: '18C' }] });
    expect(second.choices[0].message.content.includes('18C'), `final ${second.choices[0].message.content}`);
  });
}

// ---- OpenAI SDK, Responses API (translated: no fake upstream serves it natively) ---------
const rsTools = [{ type: 'function', strict: false, ...weatherTool }];

async function responsesCases(up) {
  const model = `${up}-chat`;
  const think = `${up}-think`;
  const ask = [{ role: 'user', content: 'Weather in Paris?' }];
  const callOf = (r) => r.output.find((item) => item.type === 'function_call');
  // The SDK sets output_text on create()'s answers, not on a stream's finalResponse().
  const textOf = (r) => r.output.filter((item) => item.type === 'message').flatMap((item) => item.content).map((part) => part.text).join('');
  const answer = (r, call) => [...ask, ...r.output, { type: 'function_call_output', call_id: call.call_id, output: '18C' }];

  await check(`responses ${up} plain`, async () => {
    const r = await openai.responses.create({ model, instructions: 'Be brief.', input: 'Hello', store: false });
    expect(r.output_text === 'Echo: Hello', `output_text ${JSON.stringify(r.output_text)}`);
    expect(r.status === 'completed' && r.object === 'response' && r.id.startsWith('resp_'), `status ${r.status} id ${r.id}`);
    expect(r.usage.input_tokens > 0 && r.usage.output_tokens > 0, 'usage');
  });
  await check(`responses ${up} stream`, async () => {
    const stream = await openai.responses.create({ model, input: 'Hello', stream: true });
    const types = [];
    let text = '', last = -1;
    for await (const event of stream) {
      types.push(event.type);
      expect(event.sequence_number === last + 1, `sequence ${event.sequence_number} after ${last}`);
      last = event.sequence_number;
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(types[0] === 'response.created' && types.at(-1) === 'response.completed', `types ${types}`);
    expect(text === 'Echo: Hello', `text ${JSON.stringify(text)}`);
    const final = await openai.responses.stream({ model, input: 'Hello' }).finalResponse();
    expect(textOf(final) === 'Echo: Hello' && final.usage.total_tokens > 0, `final ${textOf(final)}`);
  });
  for (const streaming of [false, true]) {
    await check(`responses ${up} tools${streaming ? '-stream' : ''}`, async () => {
      const send = (input) => streaming
        ? openai.responses.stream({ model, tools: rsTools, input }).finalResponse()
        : openai.responses.create({ model, tools: rsTools, input });
      const first = await send(ask);
      const call = callOf(first);
      expect(call && call.name === 'get_weather', `output ${JSON.stringify(first.output)}`);
      expect(JSON.parse(call.arguments).query === 'Weather in Paris?', `arguments ${call.arguments}`);
      const second = await send(answer(first, call));
      expect(textOf(second).includes('18C'), `final ${textOf(second)}`);
    });
  }
  await check(`responses ${up} thinking`, async () => {
    const params = { model: think, tools: rsTools, store: false, reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'] };
    const first = await openai.responses.stream({ ...params, input: ask }).finalResponse();
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning, `no reasoning item in ${JSON.stringify(first.output.map((item) => item.type))}`);
    if (up !== 'gemini') expect(reasoning.summary[0]?.text === 'Thinking about: Weather in Paris?', `summary ${JSON.stringify(reasoning.summary)}`);
    if (up !== 'openai') expect(reasoning.encrypted_content, 'signature kept in encrypted_content');
    const second = await openai.responses.create({ ...params, input: answer(first, callOf(first)) });
    expect(second.output_text.includes('18C'), `final ${second.output_text}`);
  });
}

// ---- Anthropic SDK ------------------------------------------------------------------------
const anTools = [{ name: weatherTool.name, description: weatherTool.description, input_schema: weatherTool.parameters }];

async function anthropicCases(up) {
  const model = `${up}-chat`;
  const think = `${up}-think`;
  const user = { role: 'user', content: 'Weather in Paris?' };
  const text = (m) => m.content.filter((b) => b.type === 'text').map((b) => b.text).join('');

  await check(`anthropic-sdk ${up} chat`, async () => {
    const m = await anthropic.messages.create({ model, max_tokens: 100, system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'Hello' }], metadata: { user_id: 'u-1' } });
    expect(text(m) === 'Echo: Hello', `text ${text(m)}`);
    expect(m.stop_reason === 'end_turn' && m.type === 'message' && m.id.startsWith('msg_'), `stop ${m.stop_reason} id ${m.id}`);
    expect(m.usage.input_tokens > 0 && m.usage.output_tokens > 0, 'usage');
  });
  await check(`anthropic-sdk ${up} stream`, async () => {
    const stream = anthropic.messages.stream({ model, max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] });
    let deltas = 0;
    stream.on('text', () => deltas++);
    const m = await stream.finalMessage();
    expect(text(m) === 'Echo: Hello' && deltas >= 1, `text ${text(m)} deltas ${deltas}`);
    expect(m.stop_reason === 'end_turn', `stop ${m.stop_reason}`);
  });
  for (const streaming of [false, true]) {
    await check(`anthropic-sdk ${up} tools${streaming ? '-stream' : ''}`, async () => {
      const call = (messages) => streaming
        ? anthropic.messages.stream({ model, max_tokens: 200, tools: anTools, messages }).finalMessage()
        : anthropic.messages.create({ model, max_tokens: 200, tools: anTools, messages });
      const first = await call([user]);
      const use = first.content.find((b) => b.type === 'tool_use');
      expect(first.stop_reason === 'tool_use' && use && use.name === 'get_weather', `stop ${first.stop_reason}`);
      expect(use.input.query === 'Weather in Paris?', `input ${JSON.stringify(use.input)}`);
      const second = await call([user, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18C' }] }]);
      expect(text(second).includes('18C') && second.stop_reason === 'end_turn', `final ${text(second)}`);
    });
  }
  await check(`anthropic-sdk ${up} image`, async () => {
    const m = await anthropic.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'text', text: 'What is this?' }] }] });
    expect(text(m) === 'I see 1 image(s): image/png', `text ${text(m)}`);
  });
  await check(`anthropic-sdk ${up} thinking`, async () => {
    const thinking = { type: 'enabled', budget_tokens: 1024 };
    const first = await anthropic.messages.stream({ model: think, max_tokens: 2048, thinking, tools: anTools, messages: [user] }).finalMessage();
    const block = first.content.find((b) => b.type === 'thinking');
    expect(block, `no thinking block in ${JSON.stringify(first.content.map((b) => b.type))}`);
    if (up !== 'gemini') expect(block.thinking === 'Thinking about: Weather in Paris?', `thinking ${block.thinking}`);
    if (up !== 'openai') expect(block.signature, 'signature kept');
    const use = first.content.find((b) => b.type === 'tool_use');
    const second = await anthropic.messages.create({ model: think, max_tokens: 2048, thinking, tools: anTools, messages: [user, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18C' }] }] });
    expect(text(second).includes('18C'), `final ${text(second)}`);
  });
  await check(`anthropic-sdk ${up} count_tokens`, async () => {
    const r = await anthropic.messages.countTokens({ model, messages: [{ role: 'user', content: 'Hello there' }] });
    expect(up === 'anthropic' ? r.input_tokens === 42 : r.input_tokens > 0, `input_tokens ${r.input_tokens}`);
  });
}

// ---- Google Gen AI SDK (Gemini API: translated, passed through to the Gemini upstream) -----
const gTools = [{ functionDeclarations: [{ name: weatherTool.name, description: weatherTool.description, parametersJsonSchema: weatherTool.parameters }] }];

async function genaiCases(up) {
  const model = `${up}-chat`;
  const think = `${up}-think`;
  const ask = { role: 'user', parts: [{ text: 'Weather in Paris?' }] };
  // A stream's model turn as the client keeps it: every part of every chunk, in order.
  const streamed = async (params) => {
    const parts = [];
    let finish = null, usage = null;
    for await (const chunk of await genai.models.generateContentStream(params)) {
      parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
      usage = chunk.usageMetadata ?? usage;
    }
    return { content: { role: 'model', parts }, finish, usage };
  };
  const textOf = (content) => content.parts.filter((p) => p.text && !p.thought).map((p) => p.text).join('');
  const answer = (content) => {
    const call = content.parts.find((p) => p.functionCall).functionCall;
    return [ask, content, { role: 'user', parts: [{ functionResponse: { id: call.id, name: call.name, response: { result: '18C' } } }] }];
  };

  await check(`genai-sdk ${up} generate`, async () => {
    const r = await genai.models.generateContent({ model, contents: 'Hello', config: { systemInstruction: 'Be brief.', temperature: 0.2 } });
    expect(r.text === 'Echo: Hello', `text ${JSON.stringify(r.text)}`);
    expect(r.candidates[0].finishReason === 'STOP', `finish ${r.candidates[0].finishReason}`);
    expect(r.usageMetadata.promptTokenCount > 0 && r.usageMetadata.totalTokenCount > 0, 'usage');
  });
  await check(`genai-sdk ${up} stream`, async () => {
    const r = await streamed({ model, contents: 'Hello' });
    expect(textOf(r.content) === 'Echo: Hello', `text ${JSON.stringify(textOf(r.content))}`);
    expect(r.finish === 'STOP' && r.usage?.promptTokenCount > 0, `finish ${r.finish} usage ${JSON.stringify(r.usage)}`);
  });
  for (const streaming of [false, true]) {
    await check(`genai-sdk ${up} tools${streaming ? '-stream' : ''}`, async () => {
      const send = async (contents) => streaming
        ? (await streamed({ model, contents, config: { tools: gTools } })).content
        : (await genai.models.generateContent({ model, contents, config: { tools: gTools } })).candidates[0].content;
      const first = await send([ask]);
      const call = first.parts.find((p) => p.functionCall)?.functionCall;
      expect(call && call.name === 'get_weather', `parts ${JSON.stringify(first.parts)}`);
      expect(call.args.query === 'Weather in Paris?', `args ${JSON.stringify(call.args)}`);
      const second = await send(answer(first));
      expect(textOf(second).includes('18C'), `final ${textOf(second)}`);
    });
  }
  await check(`genai-sdk ${up} image`, async () => {
    const r = await genai.models.generateContent({ model, contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: png } }, { text: 'What is this?' }] }] });
    expect(r.text === 'I see 1 image(s): image/png', `text ${r.text}`);
  });
  await check(`genai-sdk ${up} thinking`, async () => {
    const config = { tools: gTools, thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } };
    const first = await streamed({ model: think, contents: [ask], config });
    const thought = first.content.parts.find((p) => p.thought);
    expect(thought && thought.text.includes('Thinking about'), `no thought in ${JSON.stringify(first.content.parts)}`);
    if (up !== 'openai') expect(first.content.parts.find((p) => p.functionCall).thoughtSignature, 'signature on the call');
    const second = await genai.models.generateContent({ model: think, contents: answer(first.content), config });
    expect(second.text.includes('18C'), `final ${second.text}`);
  });
  await check(`genai-sdk ${up} countTokens`, async () => {
    const r = await genai.models.countTokens({ model, contents: 'Hello there' });
    expect(up === 'gemini' ? r.totalTokens === 42 : r.totalTokens > 0, `totalTokens ${r.totalTokens}`);
  });
}

await check('genai-sdk models', async () => {
  const names = [];
  for await (const m of await genai.models.list()) names.push(m.name);
  expect(names.includes('models/gemini-chat') && names.includes('models/anthropic-think'), `names ${names}`);
});
await check('genai-sdk unknown model is a 404 in Gemini format', async () => {
  try {
    await genai.models.generateContent({ model: 'nope', contents: 'x' });
    throw new Error('no error');
  } catch (e) {
    expect(e.name === 'ApiError' && e.status === 404 && /NOT_FOUND/.test(e.message), `got ${e}`);
  }
});
await check('openai-sdk models', async () => {
  const ids = [];
  for await (const m of openai.models.list()) ids.push(m.id);
  expect(ids.includes('gemini-chat') && ids.includes('anthropic-think'), `ids ${ids}`);
});
await check('anthropic-sdk models', async () => {
  const page = await anthropic.models.list();
  expect(page.data.some((m) => m.id === 'openai-chat' && m.type === 'model'), JSON.stringify(page.data));
});
await check('openai-sdk unknown model is a 404 in OpenAI format', async () => {
  try {
    await openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] });
    throw new Error('no error');
  } catch (e) {
    expect(e instanceof OpenAI.NotFoundError, `got ${e}`);
  }
});
await check('responses previous_response_id on a translated upstream is a 400', async () => {
  try {
    await openai.responses.create({ model: 'anthropic-chat', previous_response_id: 'resp_1', input: 'x' });
    throw new Error('no error');
  } catch (e) {
    expect(e instanceof OpenAI.BadRequestError && /previous_response_id/.test(e.message), `got ${e}`);
  }
});
await check('anthropic-sdk unknown model is a 404 in Anthropic format', async () => {
  try {
    await anthropic.messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    throw new Error('no error');
  } catch (e) {
    expect(e instanceof Anthropic.NotFoundError && e.error?.type === 'error', `got ${e}`);
  }
});
for (const up of upstreams) {
  await openaiCases(up);
  await responsesCases(up);
  await anthropicCases(up);
  await genaiCases(up);
}
console.log(JSON.stringify({ passed, failed: failures.length, failures }));
process.exit(failures.length ? 1 : 0);
