// The students' page (/student): the markup and the style. Its words are set by the script
// (tools/web/student.ts, served as /student.js) in French or English from the browser's language;
// what is here is the English fallback. The teacher's settings (the broker's WebSocket, the topic
// prefix) come in a JSON block, never as code: the page's CSP runs only /student.js.

export interface StudentPageConfig {
  broker: string;
  prefix: string;
  title: string;
  open?: boolean;
}

/** The page with `config` embedded; `<` is escaped so that no value can close the JSON block. */
export function studentPage(config: StudentPageConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return STUDENT_HTML.replace('__CONFIG__', () => json);
}

const STUDENT_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MQTT in class</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 17px/1.4 system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; background: #eef0f3; color: #1a1e24; }
  header { background: #1a2940; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; align-items: baseline; }
  h1 { font-size: 1.5rem; margin: 0; }
  #class-title { color: #c8d3e2; }
  #status { margin-left: auto; font-weight: 700; padding: .1rem .6rem; border-radius: 999px; border: 2px solid; }
  #status[data-state=ok] { background: #dbf3e0; color: #0b3a19; border-color: #1d7a35; }
  #status[data-state=wait] { background: #fff0c4; color: #432d00; border-color: #9a6200; border-style: dashed; }
  #status[data-state=off] { background: #fff; color: #1a2940; border-color: #fff; }
  #open-warning { background: #bf2517; color: #fff; font-weight: 700; padding: .4rem 1rem; margin: 0; }
  form#who { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid #cfd5dd; }
  label { display: flex; flex-direction: column; font-size: .9rem; font-weight: 600; gap: .15rem; }
  label.inline { flex-direction: row; align-items: center; gap: .35rem; }
  input, select, button { font: inherit; }
  input[type=text], input[type=password], input:not([type]) { padding: .3rem .45rem; border: 2px solid #8a94a3; border-radius: .35rem; min-width: 10rem; }
  button { padding: .35rem .9rem; border-radius: .35rem; border: 2px solid #1a2940; background: #1a2940; color: #fff; font-weight: 700; cursor: pointer; }
  button.quiet { background: #fff; color: #1a2940; }
  :focus-visible { outline: 3px solid #f0a400; outline-offset: 2px; }
  nav { display: flex; gap: .3rem; padding: .5rem 1rem 0; }
  nav button { border-radius: .5rem .5rem 0 0; background: #d5dbe3; color: #1a2940; border-color: #d5dbe3; }
  nav button[aria-selected=true] { background: #fff; border-color: #fff; }
  section { background: #fff; margin: 0 1rem 1rem; padding: .8rem 1rem; border-radius: 0 .5rem .5rem .5rem; }
  h2 { font-size: 1.15rem; margin: .2rem 0 .5rem; }
  .topic-note, code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9rem; color: #3a4654; }
  #peer-status { font-weight: 700; }
  #peer-status[data-state=online]::before { content: "● "; color: #1d7a35; }
  #peer-status[data-state=offline]::before { content: "○ "; color: #bf2517; }
  #chat-lines { list-style: none; margin: .5rem 0; padding: .4rem; height: 18rem; overflow: auto; border: 1px solid #cfd5dd; border-radius: .4rem; background: #f7f8fa; }
  #chat-lines li { padding: .15rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  /* Rows out of view are neither laid out nor painted: a burst redraws what shows. */
  #chat-lines li, #lab-log li { content-visibility: auto; contain-intrinsic-size: auto 1.6em; }
  .who { font-weight: 800; margin-right: .5rem; }
  .who::after { content: " :"; }
  .mine .who { color: #1a5aa6; }
  .theirs .who { color: #7a1d63; }
  .error { color: #bf2517; font-weight: 700; }
  #chat-form { display: flex; gap: .5rem; align-items: end; }
  #chat-form label { flex: 1; }
  #chat-form input { width: 100%; }
  .halves { display: flex; flex-wrap: wrap; gap: 1.5rem; }
  .halves > div { flex: 1 1 18rem; }
  .arrows { display: grid; grid-template-columns: repeat(3, 4.2rem); grid-template-rows: repeat(2, 4.2rem); gap: .4rem; margin: .6rem 0; }
  .arrows button { font-size: 1.8rem; }
  .arrows [data-command=up] { grid-column: 2; }
  .arrows [data-command=left] { grid-column: 1; grid-row: 2; }
  .arrows [data-command=down] { grid-column: 2; grid-row: 2; }
  .arrows [data-command=right] { grid-column: 3; grid-row: 2; }
  #block { height: 14rem; border-radius: .6rem; border: 3px solid #1a2940; background: #000; display: flex; align-items: center; justify-content: center; }
  #block-label { background: #fff; color: #1a2940; padding: .2rem .7rem; border-radius: .4rem; font-weight: 800; font-size: 1.3rem; }
  fieldset { border: 1px solid #cfd5dd; border-radius: .4rem; margin: 0 0 .8rem; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
  legend { font-weight: 800; }
  #lab-state { font-family: ui-monospace, monospace; padding: .1rem .5rem; border-radius: .3rem; }
  #lab-state[data-state=ok] { background: #dbf3e0; }
  #lab-state[data-state=wait] { background: #fff0c4; }
  #lab-subs { margin: 0; padding-left: 1.2rem; flex-basis: 100%; }
  #lab-subs li { font-family: ui-monospace, monospace; }
  #lab-subs button { padding: 0 .5rem; font-size: .85rem; }
  .table { max-height: 20rem; overflow: auto; border: 1px solid #cfd5dd; border-radius: .4rem; }
  /* Fixed columns: a row added does not make the browser measure every cell again. */
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  th:nth-child(1) { width: 6.5rem; } th:nth-child(2) { width: 35%; } th:nth-child(3) { width: 3.5rem; } th:nth-child(4) { width: 4.5rem; }
  th, td { text-align: left; padding: .2rem .45rem; border-bottom: 1px solid #e4e8ee; vertical-align: top; overflow-wrap: anywhere; }
  th { position: sticky; top: 0; background: #e4e8ee; }
  td.topic { font-family: ui-monospace, monospace; }
  td.text { white-space: pre-wrap; }
  #lab-log { font-size: .9rem; color: #3a4654; padding-left: 1.2rem; max-height: 8rem; overflow: auto; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <h1 data-t="title">MQTT in class</h1><span id="class-title"></span>
  <span id="status" role="status" aria-live="polite" data-state="off">Not connected</span>
</header>
<p id="open-warning" hidden></p>
<form id="who">
  <label><span data-t="me">My first name</span><input id="me" autocomplete="given-name" maxlength="40" required></label>
  <label><span data-t="peer">My partner's first name</span><input id="peer" maxlength="40" required></label>
  <label><span data-t="broker">Broker (WebSocket)</span><input id="broker" maxlength="200" spellcheck="false"></label>
  <label><span data-t="user">User (if asked)</span><input id="user" autocomplete="off" maxlength="100"></label>
  <label><span data-t="password">Password (if asked)</span><input id="password" type="password" autocomplete="off" maxlength="200"></label>
  <button id="join" type="submit" data-t="connect">Connect</button>
</form>
<nav role="tablist">
  <button type="button" role="tab" data-tab="chat" data-t="tabChat">Chat</button>
  <button type="button" role="tab" data-tab="remote" data-t="tabRemote">Sensor / actuator</button>
  <button type="button" role="tab" data-tab="lab" data-t="tabLab">Lab</button>
</nav>
<section id="chat" role="tabpanel">
  <p id="peer-status" aria-live="polite"></p>
  <p class="topic-note" id="chat-topics"></p>
  <ol id="chat-lines" aria-live="polite"></ol>
  <form id="chat-form">
    <label><span data-t="message">Message</span><input id="chat-input" maxlength="1000" autocomplete="off"></label>
    <button type="submit" data-t="send">Send</button>
  </form>
</section>
<section id="remote" role="tabpanel" hidden>
  <div class="halves">
    <div>
      <h2 data-t="sensorTitle">Sensor: my arrows</h2>
      <p><span data-t="sensorHelp"></span> <code id="command-topic"></code></p>
      <div class="arrows">
        <button type="button" data-command="up" aria-label="up">↑</button>
        <button type="button" data-command="left" aria-label="left">←</button>
        <button type="button" data-command="down" aria-label="down">↓</button>
        <button type="button" data-command="right" aria-label="right">→</button>
      </div>
      <p id="sent" aria-live="polite"></p>
    </div>
    <div>
      <h2><span data-t="actuatorTitle">Actuator: the commands of</span> <span class="peer-name"></span></h2>
      <p><span data-t="actuatorHelp"></span> <code id="peer-command-topic"></code></p>
      <div id="block" data-colour="off"><span id="block-label">off</span></div>
      <p id="received" aria-live="polite"></p>
    </div>
  </div>
</section>
<section id="lab" role="tabpanel" hidden>
  <fieldset>
    <legend data-t="labConn">My lab connection</legend>
    <label><span data-t="willTopic">Will topic</span><input id="will-topic" maxlength="200" spellcheck="false"></label>
    <label><span data-t="willMessage">Will message</span><input id="will-message" maxlength="500"></label>
    <label>QoS<select id="will-qos"><option>0</option><option selected>1</option><option>2</option></select></label>
    <label class="inline"><input id="will-retain" type="checkbox"><span data-t="retain">retain</span></label>
    <label class="inline"><input id="clean" type="checkbox" checked><span data-t="clean">Clean session</span></label>
    <button id="lab-connect" type="button" data-t="labConnect">Connect the lab</button>
    <button id="lab-end" type="button" class="quiet" data-t="labEnd">Disconnect cleanly</button>
    <button id="lab-cut" type="button" class="quiet" data-t="labCut">Cut abruptly</button>
    <span id="lab-state" data-state="off"></span>
  </fieldset>
  <form id="pub-form"><fieldset>
    <legend data-t="publish">Publish</legend>
    <label><span data-t="topic">Topic</span><input id="pub-topic" maxlength="200" spellcheck="false"></label>
    <label><span data-t="pubMessage">Message to publish</span><input id="pub-message" maxlength="1000"></label>
    <label>QoS<select id="pub-qos"><option>0</option><option>1</option><option>2</option></select></label>
    <label class="inline"><input id="pub-retain" type="checkbox"><span data-t="retain">retain</span></label>
    <button type="submit" data-t="publish">Publish</button>
  </fieldset></form>
  <form id="sub-form"><fieldset>
    <legend data-t="subscribe">Subscribe</legend>
    <label><span data-t="filter">Filter</span><input id="sub-filter" maxlength="200" spellcheck="false"></label>
    <label>QoS<select id="sub-qos"><option>0</option><option selected>1</option><option>2</option></select></label>
    <button type="submit" data-t="subscribe">Subscribe</button>
    <ul id="lab-subs"></ul>
  </fieldset></form>
  <h2 data-t="messages">Messages received</h2>
  <div class="table"><table>
    <thead><tr><th data-t="time">Time</th><th data-t="topic">Topic</th><th>QoS</th><th>retain</th><th data-t="message">Message</th></tr></thead>
    <tbody id="lab-rows"></tbody>
  </table></div>
  <ul id="lab-log" aria-live="polite"></ul>
</section>
<script type="application/json" id="config">__CONFIG__</script>
<script src="/student.js"></script>
</body>
</html>
`;
