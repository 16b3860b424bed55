<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AutoStart</name>
    <message>
        <source>The registry refused the change.</source>
        <translation>注册表拒绝了此更改。</translation>
    </message>
    <message>
        <source>Cannot remove %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>StateText</name>
    <message>
        <source>Starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Running, some keys unavailable</source>
        <translation>运行中，部分密钥不可用</translation>
    </message>
    <message>
        <source>Not working</source>
        <translation>工作异常</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Port %1 is used by another program. Move to a free port, or close that program.</source>
        <translation>端口 %1 已被其他程序占用。请换到空闲端口，或关闭该程序。</translation>
    </message>
    <message>
        <source>The system does not allow port %1 (on Windows often a range kept for Hyper-V, WSL or Docker). Move to a free port.</source>
        <translation>系统不允许使用端口 %1（在 Windows 上通常是为 Hyper-V、WSL 或 Docker 保留的端口范围）。请换到空闲端口。</translation>
    </message>
    <message>
        <source>LLM Relay is already running but does not answer. End llm-relay.exe in the Task Manager, then start LLM Relay again.</source>
        <translation>LLM Relay 已在运行，但没有响应。请在任务管理器中结束 llm-relay.exe，然后重新启动 LLM Relay。</translation>
    </message>
    <message>
        <source>LLM Relay is already running but does not answer. End the llm-relay process (for example with: pkill -x llm-relay), then start LLM Relay again.</source>
        <translation>LLM Relay 已在运行，但没有响应。请结束 llm-relay 进程（例如运行：pkill -x llm-relay），然后重新启动 LLM Relay。</translation>
    </message>
    <message>
        <source>Cannot open the port: %1</source>
        <translation>无法打开端口：%1</translation>
    </message>
    <message>
        <source>The relay could not start: %1</source>
        <translation>中转无法启动：%1</translation>
    </message>
    <message>
        <source>No provider with a key yet. Add one under Upstreams.</source>
        <translation>还没有配置了密钥的服务商，请在“上游”页面添加。</translation>
    </message>
    <message numerus="yes">
        <source>None of the %n key(s) can be used now; see the table below.</source>
        <translation>
            <numerusform>%n 个密钥当前均不可用，详见下表。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 keys cannot be used now; requests go to the others.</source>
        <translation>%2 个密钥中有 %1 个当前不可用，请求会转给其余密钥。</translation>
    </message>
    <message>
        <source>Paused: clients cannot connect until you resume.</source>
        <translation>已暂停：点击“继续”之前，客户端无法连接。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Relaying requests.</source>
        <translation>正在中转请求。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>At its limit</source>
        <translation>已达上限</translation>
    </message>
    <message>
        <source>Cooling down</source>
        <translation>冷却中</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>No key stored</source>
        <translation>未保存密钥</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
    <message>
        <source>Must be between %1 and %2.</source>
        <translation>必须介于 %1 到 %2 之间。</translation>
    </message>
    <message>
        <source>Not a URL; write it like https://api.openai.com/v1</source>
        <translation>不是有效的 URL，格式如 https://api.openai.com/v1</translation>
    </message>
    <message>
        <source>Use system, none, http://host:port or socks5://host:port.</source>
        <translation>请填写 system、none、http://主机:端口 或 socks5://主机:端口。</translation>
    </message>
    <message>
        <source>This key is already there.</source>
        <translation>此密钥已存在。</translation>
    </message>
    <message>
        <source>An upstream with this id exists; choose another name.</source>
        <translation>已存在相同 ID 的上游，请换个名称。</translation>
    </message>
    <message>
        <source>Not an IP address; use 127.0.0.1, or 0.0.0.0 for the LAN.</source>
        <translation>不是有效的 IP 地址。请填写 127.0.0.1；如需局域网访问，请填写 0.0.0.0。</translation>
    </message>
    <message>
        <source>Unknown strategy.</source>
        <translation>未知的策略。</translation>
    </message>
    <message>
        <source>No free port between %1 and %2.</source>
        <translation>%1 到 %2 之间没有空闲端口。</translation>
    </message>
    <message>
        <source>This relay runs without a config file; nothing can be saved.</source>
        <translation>当前中转未使用配置文件运行，无法保存任何更改。</translation>
    </message>
    <message>
        <source>The keychain refused: %1</source>
        <translation>系统凭据库拒绝了操作：%1</translation>
    </message>
    <message>
        <source>Could not save the change: %1</source>
        <translation>无法保存更改：%1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 M</source>
        <translation>%1 M</translation>
    </message>
    <message>
        <source>Port %1 cannot be opened (%2); choose another port.</source>
        <translation>无法打开端口 %1（%2），请换一个端口。</translation>
    </message>
    <message>
        <source>Write a time and a time zone, like 00:00 UTC or 00:00 America/Los_Angeles.</source>
        <translation>请写时间和时区，例如 00:00 UTC 或 00:00 America/Los_Angeles。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot;: use letters, digits and - in the name, and keep the value on one line.</source>
        <translation>请求头“%1”：名称只能用字母、数字和 -，值必须在一行内。</translation>
    </message>
    <message>
        <source>Unknown API format &quot;%1&quot;; use openai, anthropic or gemini.</source>
        <translation>未知的 API 格式“%1”；请用 openai、anthropic 或 gemini。</translation>
    </message>
    <message>
        <source>This upstream is no longer in the configuration (removed meanwhile?); nothing was changed.</source>
        <translation>配置里已经没有这个上游了（可能刚被删除）；没有做任何更改。</translation>
    </message>
    <message>
        <source>This key is no longer in the configuration (removed meanwhile?); nothing was changed.</source>
        <translation>配置里已经没有这个密钥了（可能刚被删除）；没有做任何更改。</translation>
    </message>
    <message>
        <source>An upstream or key with this id exists already; nothing was changed.</source>
        <translation>已有同样 id 的上游或密钥；没有做任何更改。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot; is there twice (names ignore case); keep one.</source>
        <translation>请求头“%1”出现了两次（名称不区分大小写）；请只保留一个。</translation>
    </message>
</context>
<context>
    <name>relay::ActivityChart</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>60 min ago</source>
        <translation>60 分钟前</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>requests per minute</source>
        <translation>每分钟请求数</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>mean latency</source>
        <translation>平均延迟</translation>
    </message>
</context>
<context>
    <name>relay::AddUpstreamDialog</name>
    <message>
        <source>Get a key: &lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;</source>
        <translation>获取密钥：&lt;a href=&quot;%1&quot;&gt;%1&lt;/a&gt;</translation>
    </message>
    <message>
        <source>testing…</source>
        <translation>测试中…</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <source>Welcome to LLM Relay</source>
        <translation>欢迎使用 LLM Relay</translation>
    </message>
    <message>
        <source>Add an upstream</source>
        <translation>添加上游</translation>
    </message>
    <message>
        <source>Choose your provider, paste your API key(s) and press Test. Once saved, the relay is ready and the next page shows how to connect your chat client.</source>
        <translation>选择服务商，粘贴 API 密钥，然后点击“测试密钥”。保存后中转即可使用，下一页会告诉你如何连接聊天客户端。</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>接口地址 (Base URL)</translation>
    </message>
    <message>
        <source>API format</source>
        <translation>API 格式</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>One key per line; blank lines and repeats are ignored.</source>
        <translation>每行一个密钥，空行和重复的密钥会被忽略。</translation>
    </message>
    <message>
        <source>Test keys</source>
        <translation>测试密钥</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>relay::ConnectPage</name>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copied, with the access key</source>
        <translation>已复制（含访问密钥）</translation>
    </message>
    <message>
        <source>&lt;your access key&gt;</source>
        <translation>&lt;你的访问密钥&gt;</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Fill these fields in your client. The relay answers on this computer only (127.0.0.1); a Copy button next to the access key puts the real key on the clipboard.</source>
        <translation>在客户端中填写以下内容。中转只在本机 (127.0.0.1) 上提供服务；点击访问密钥旁的“复制”按钮，即可把真实密钥复制到剪贴板。</translation>
    </message>
    <message>
        <source>Settings → Model provider: choose &quot;OpenAI API Compatible&quot; (or OpenAI), then fill in:</source>
        <translation>设置 → 模型提供方：选择“OpenAI API 兼容”（或 OpenAI），然后填写：</translation>
    </message>
    <message>
        <source>API Host</source>
        <translation>API 域名</translation>
    </message>
    <message>
        <source>API Path</source>
        <translation>API 路径</translation>
    </message>
    <message>
        <source>API Key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>a model your upstream serves, e.g. gpt-4o</source>
        <translation>上游提供的模型，例如 gpt-4o</translation>
    </message>
    <message>
        <source>Settings → Model Provider → Add, type &quot;OpenAI&quot;, then fill in and press &quot;Manage&quot; to pick models:</source>
        <translation>设置 → 模型服务 → 添加，提供商类型选“OpenAI”，填写以下内容后点击“管理”选择模型：</translation>
    </message>
    <message>
        <source>API Address</source>
        <translation>API 地址</translation>
    </message>
    <message>
        <source>Settings → API providers → add &quot;OpenAI&quot; (custom host):</source>
        <translation>设置 → API 服务商 → 添加“OpenAI”（自定义 Host）：</translation>
    </message>
    <message>
        <source>Set two environment variables before starting claude, or put them in ~/.claude/settings.json:</source>
        <translation>启动 claude 前先设置以下两个环境变量，或把它们写入 ~/.claude/settings.json：</translation>
    </message>
    <message>
        <source>Shell</source>
        <translation>终端命令</translation>
    </message>
    <message>
        <source>Any OpenAI SDK or OpenAI-compatible tool:</source>
        <translation>任意 OpenAI SDK 或兼容 OpenAI 的工具：</translation>
    </message>
    <message>
        <source>Any Anthropic SDK:</source>
        <translation>任意 Anthropic SDK：</translation>
    </message>
    <message>
        <source>Add these lines to ~/.codex/config.toml and set the environment variable RELAY_KEY to the access key:</source>
        <translation>把以下几行加入 ~/.codex/config.toml，并把环境变量 RELAY_KEY 设为访问密钥：</translation>
    </message>
    <message>
        <source>Set two environment variables before starting gemini (Gemini CLI and the Google Gen AI SDKs):</source>
        <translation>启动 gemini 前先设置以下两个环境变量（Gemini CLI 和 Google Gen AI SDK 通用）：</translation>
    </message>
</context>
<context>
    <name>relay::EditUpstreamDialog</name>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>API format</source>
        <translation>API 格式</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>接口地址 (Base URL)</translation>
    </message>
    <message>
        <source>Priority tier (lower is tried first)</source>
        <translation>优先级（数字小的先用）</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Connect timeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>First byte timeout</source>
        <translation>首字节超时</translation>
    </message>
    <message>
        <source>Idle timeout in a stream</source>
        <translation>流式输出空闲超时</translation>
    </message>
    <message>
        <source>Daily limits reset at</source>
        <translation>每日限额重置时间</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>附加请求头</translation>
    </message>
    <message>
        <source>System proxy</source>
        <translation>系统代理</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>不用代理</translation>
    </message>
    <message>
        <source>Custom:</source>
        <translation>自定义：</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>添加请求头</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>删除请求头</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>relay::KeyTableModel</name>
    <message>
        <source>no limits</source>
        <translation>无限制</translation>
    </message>
    <message>
        <source>%1/%2 per min</source>
        <translation>每分钟 %1/%2</translation>
    </message>
    <message>
        <source>%1/%2 today</source>
        <translation>今日 %1/%2</translation>
    </message>
    <message>
        <source>%1/%2 tokens/min</source>
        <translation>每分钟 %1/%2 Token</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 ok · %2 failed</source>
        <translation>成功 %1 · 失败 %2</translation>
    </message>
    <message>
        <source>Upstream</source>
        <translation>上游</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Back in</source>
        <translation>恢复倒计时</translation>
    </message>
    <message>
        <source>Usage against limits</source>
        <translation>用量 / 限额</translation>
    </message>
    <message>
        <source>Since start</source>
        <translation>本次启动以来</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
</context>
<context>
    <name>relay::KeysPanel</name>
    <message>
        <source>Remove key</source>
        <translation>删除密钥</translation>
    </message>
    <message>
        <source>Remove this key and delete it from the keychain?</source>
        <translation>删除此密钥，并从系统凭据库中移除？</translation>
    </message>
    <message>
        <source>(no key stored)</source>
        <translation>（未保存密钥）</translation>
    </message>
    <message>
        <source>Select an upstream to see its keys.</source>
        <translation>选择一个上游以查看它的密钥。</translation>
    </message>
    <message>
        <source>Keys of %1</source>
        <translation>%1 的密钥</translation>
    </message>
    <message>
        <source>testing…</source>
        <translation>测试中…</translation>
    </message>
    <message>
        <source>valid, %1 ms</source>
        <translation>有效，%1 ms</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Requests/min</source>
        <translation>每分钟请求</translation>
    </message>
    <message>
        <source>Requests/day</source>
        <translation>每日请求</translation>
    </message>
    <message>
        <source>Tokens/min</source>
        <translation>每分钟 Token</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Paste more keys here, one per line</source>
        <translation>在此粘贴更多密钥，每行一个</translation>
    </message>
    <message>
        <source>Add keys</source>
        <translation>添加密钥</translation>
    </message>
    <message>
        <source>Test all</source>
        <translation>全部测试</translation>
    </message>
</context>
<context>
    <name>relay::MainWindow</name>
    <message>
        <source>LLM Relay</source>
        <translation>LLM Relay</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Upstreams</source>
        <translation>上游</translation>
    </message>
    <message>
        <source>Connect a client</source>
        <translation>连接客户端</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>relay::ModelsDialog</name>
    <message>
        <source>Add a key first: the list is fetched with one.</source>
        <translation>请先添加密钥：模型列表需要用密钥获取。</translation>
    </message>
    <message>
        <source>Could not fetch the list: %1</source>
        <translation>无法获取模型列表：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) listed by the provider; tick the ones to offer.</source>
        <translation>
            <numerusform>服务商列出了 %n 个模型，请勾选要提供的模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>Tick at least one model, or allow any model name.</source>
        <translation>请至少勾选一个模型，或允许任意模型名。</translation>
    </message>
    <message>
        <source>Models of %1</source>
        <translation>%1 的模型</translation>
    </message>
    <message>
        <source>Ticked models are offered to clients (model pickers read them from /v1/models). Fetch the provider&apos;s own list with a saved key.</source>
        <translation>勾选的模型会提供给客户端（客户端的模型选择器从 /v1/models 读取）。可以用已保存的密钥获取服务商自己的模型列表。</translation>
    </message>
    <message>
        <source>Also pass any other model name to this upstream</source>
        <translation>其他模型名也转发给此上游</translation>
    </message>
    <message>
        <source>Fetch from the provider</source>
        <translation>从服务商获取</translation>
    </message>
    <message>
        <source>Client asks for</source>
        <translation>客户端请求</translation>
    </message>
    <message>
        <source>Upstream gets</source>
        <translation>上游收到</translation>
    </message>
    <message>
        <source>Add mapping</source>
        <translation>添加映射</translation>
    </message>
    <message>
        <source>Remove mapping</source>
        <translation>删除映射</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Model map: a client&apos;s model name (or a pattern with *, like claude-*haiku*) → the name this upstream uses</source>
        <translation>模型映射：客户端的模型名（或带 * 的模式，例如 claude-*haiku*）→ 这个上游使用的模型名</translation>
    </message>
</context>
<context>
    <name>relay::RequestTableModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Client format</source>
        <translation>客户端格式</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Upstream</source>
        <translation>上游</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>First byte</source>
        <translation>首字节</translation>
    </message>
    <message>
        <source>Tokens in / out</source>
        <translation>Token 输入 / 输出</translation>
    </message>
</context>
<context>
    <name>relay::RequestsPage</name>
    <message>
        <source>Model %1, answered by %2 with key %3: status %4 after %5 attempt(s), %6 ms (first byte after %7 ms).</source>
        <translation>模型 %1，由 %2 使用密钥 %3 响应：尝试 %5 次后状态为 %4，耗时 %6 ms（首字节 %7 ms）。</translation>
    </message>
    <message>
        <source>Keys tried, in order:</source>
        <translation>依次尝试过的密钥：</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Request body:</source>
        <translation>请求体：</translation>
    </message>
    <message>
        <source>Answer body:</source>
        <translation>响应体：</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>all requests</source>
        <translation>全部请求</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>upstream</source>
        <translation>上游</translation>
    </message>
    <message>
        <source>any client format</source>
        <translation>所有客户端格式</translation>
    </message>
    <message>
        <source>Bodies are kept only when store.captureBodies is true in the config file.</source>
        <translation>只有在配置文件中将 store.captureBodies 设为 true，才会保存请求体和响应体。</translation>
    </message>
</context>
<context>
    <name>relay::SettingsPage</name>
    <message>
        <source>Access key copied</source>
        <translation>已复制访问密钥</translation>
    </message>
    <message>
        <source>New access key</source>
        <translation>新的访问密钥</translation>
    </message>
    <message>
        <source>Make a new access key? The old one stops working at once: every client needs the new one.</source>
        <translation>要生成新的访问密钥吗？旧密钥会立即失效，所有客户端都需要改用新密钥。</translation>
    </message>
    <message>
        <source>Your new access key, shown this once. Copy it into your clients:</source>
        <translation>这是你的新访问密钥，只显示这一次。请把它复制到客户端中：</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>安全</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Round robin</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>按权重</translation>
    </message>
    <message>
        <source>Priority (first healthy)</source>
        <translation>优先级（首个可用）</translation>
    </message>
    <message>
        <source>Fewest in flight</source>
        <translation>最少进行中</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Attempts per request</source>
        <translation>每个请求的尝试次数</translation>
    </message>
    <message>
        <source>Grace at quit (s)</source>
        <translation>退出前等待（秒）</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Access key</source>
        <translation>访问密钥</translation>
    </message>
    <message>
        <source>Requests kept in the log</source>
        <translation>日志保留的请求数</translation>
    </message>
    <message>
        <source>Allow other computers on the local network</source>
        <translation>允许局域网内的其他电脑访问</translation>
    </message>
    <message>
        <source>Anyone on your network who has the access key can use your upstream keys. Turn this on only on a network you trust.</source>
        <translation>局域网内任何拿到访问密钥的人都能使用你的上游密钥。请只在可信的网络中开启。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Regenerate…</source>
        <translation>重新生成…</translation>
    </message>
    <message>
        <source>Keep request and answer bodies (for debugging; secrets redacted)</source>
        <translation>保存请求体和响应体（用于调试，密钥会被隐去）</translation>
    </message>
    <message>
        <source>Open the data folder</source>
        <translation>打开数据文件夹</translation>
    </message>
    <message>
        <source>New admin key</source>
        <translation>新的管理密钥</translation>
    </message>
    <message>
        <source>Make a new admin key? The old one stops working at once: scripts that use the management API need the new one.</source>
        <translation>生成新的管理密钥？旧密钥会立即失效：使用管理 API 的脚本都需要换成新密钥。</translation>
    </message>
    <message>
        <source>The management API (/admin/) is on. Your admin key, shown this once; send it as &quot;Authorization: Bearer &lt;key&gt;&quot;:</source>
        <translation>管理 API（/admin/）已开启。这是你的管理密钥，只显示这一次；请以“Authorization: Bearer &lt;密钥&gt;”的方式发送：</translation>
    </message>
    <message>
        <source>Turn off the management API</source>
        <translation>关闭管理 API</translation>
    </message>
    <message>
        <source>Delete the admin key? /admin/ then answers 404 until a new key is made.</source>
        <translation>删除管理密钥？之后 /admin/ 会返回 404，直到生成新密钥。</translation>
    </message>
    <message>
        <source>Off (no admin key)</source>
        <translation>已关闭（没有管理密钥）</translation>
    </message>
    <message>
        <source>On, admin key %1</source>
        <translation>已开启，管理密钥 %1</translation>
    </message>
    <message>
        <source>Turn on…</source>
        <translation>开启…</translation>
    </message>
    <message>
        <source>New key…</source>
        <translation>换新密钥…</translation>
    </message>
    <message>
        <source>Turn off…</source>
        <translation>关闭…</translation>
    </message>
    <message>
        <source>Management API</source>
        <translation>管理 API</translation>
    </message>
    <message>
        <source>On, admin key %1 from RELAY_ADMIN_KEY (change it there)</source>
        <translation>已开启，管理密钥 %1 来自环境变量 RELAY_ADMIN_KEY（请在那里修改）</translation>
    </message>
</context>
<context>
    <name>relay::StatusPage</name>
    <message>
        <source>Endpoint copied</source>
        <translation>接口地址已复制</translation>
    </message>
    <message>
        <source>Access key copied</source>
        <translation>访问密钥已复制</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>%1 requests</source>
        <translation>%1 次请求</translation>
    </message>
    <message>
        <source>%1% succeeded</source>
        <translation>成功率 %1%</translation>
    </message>
    <message>
        <source>%1 tokens in, %2 out</source>
        <translation>输入 %1 Token，输出 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n in flight</source>
        <translation>
            <numerusform>%n 个进行中</numerusform>
        </translation>
    </message>
    <message>
        <source>Relay</source>
        <translation>中转</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>Access key</source>
        <translation>访问密钥</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Move to a free port</source>
        <translation>换到空闲端口</translation>
    </message>
    <message>
        <source>Today:</source>
        <translation>今日：</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近一小时</translation>
    </message>
</context>
<context>
    <name>relay::TrayIcon</name>
    <message>
        <source>Start at login</source>
        <translation>开机启动</translation>
    </message>
    <message>
        <source>A key was refused</source>
        <translation>有密钥被拒绝</translation>
    </message>
    <message>
        <source>%1, key %2: %3. Requests go to the other keys; replace it under Upstreams.</source>
        <translation>%1 的密钥 %2：%3。请求会改用其他密钥；请在“上游”页面更换它。</translation>
    </message>
    <message>
        <source>No key can be used now</source>
        <translation>当前没有可用的密钥</translation>
    </message>
    <message>
        <source>Every key is cooling down, at its limit or invalid: requests fail until one comes back. Open the status page to see when.</source>
        <translation>所有密钥都处于冷却中、已达上限或无效，在有密钥恢复之前，请求都会失败。打开状态页可查看恢复时间。</translation>
    </message>
    <message>
        <source>Port %1 is taken</source>
        <translation>端口 %1 已被占用</translation>
    </message>
    <message>
        <source>Another program uses port %1. Click here to move the relay to a free port (your clients then need the new address).</source>
        <translation>端口 %1 已被其他程序占用。点击此处把中转服务切换到空闲端口（之后客户端需要改用新地址）。</translation>
    </message>
    <message>
        <source>Port %1 cannot be used</source>
        <translation>无法使用端口 %1</translation>
    </message>
    <message>
        <source>The system does not allow the relay to use port %1. Click here to move the relay to a free port (your clients then need the new address).</source>
        <translation>系统不允许中转使用端口 %1。点击此处把中转服务切换到空闲端口（之后客户端需要改用新地址）。</translation>
    </message>
    <message>
        <source>Resume relay</source>
        <translation>继续中转</translation>
    </message>
    <message>
        <source>Pause relay</source>
        <translation>暂停中转</translation>
    </message>
    <message>
        <source>LLM Relay: %1
%2
Today: %3 requests, %4 tokens</source>
        <translation>LLM Relay：%1
%2
今日：%3 次请求，%4 Token</translation>
    </message>
    <message>
        <source>Open LLM Relay</source>
        <translation>打开 LLM Relay</translation>
    </message>
    <message>
        <source>Upstreams and keys…</source>
        <translation>上游与密钥…</translation>
    </message>
    <message>
        <source>Copy endpoint URL</source>
        <translation>复制接口地址</translation>
    </message>
    <message>
        <source>Copy access key</source>
        <translation>复制访问密钥</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言 (Language)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>relay::UpstreamsPage</name>
    <message>
        <source>Remove upstream</source>
        <translation>删除上游</translation>
    </message>
    <message>
        <source>Remove &quot;%1&quot; and delete its keys from the keychain?</source>
        <translation>要删除“%1”，并从系统凭据库中清除它的密钥吗？</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Enabled, name</source>
        <translation>启用 / 名称</translation>
    </message>
    <message>
        <source>API format</source>
        <translation>API 格式</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>接口地址 (Base URL)</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Priority tier</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Models…</source>
        <translation>模型…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
</context>
</TS>
