// Mount the page shell. Everything else lives in App.svelte and below.
import { mount } from 'svelte';
import 'katex/dist/katex.min.css';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html must contain <div id="app">');
export default mount(App, { target });
