import { describe, expect, it } from 'vitest';
import { barcodeText, detectMessenger, jsapiConfigPath, pageUrlForSigning, readWeComReturn, signingHref, wecomAuthorizeUrl } from './messenger.ts';

/** User agents as the messengers' web views send them (trimmed, versions as seen). */
const UA = {
  dingtalkAndroid: 'Mozilla/5.0 (Linux; U; Android 12; zh-CN; V2118A Build/SP1A.210812.003) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.59 Mobile Safari/537.36 AliApp(DingTalk/7.0.40) com.alibaba.android.rimet/34011 Channel/700159 language/zh-CN abi/64 UT4Aplus/0.2.25 colorScheme/light',
  dingtalkIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AliApp(DingTalk/7.5.0) com.laiwang.DingTalk/31234567 Channel/201200 language/zh-Hans-CN UT4Aplus/0.0.6 WK',
  feishu: 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Lark/7.1.6 LarkLocale/zh_CN ChannelName/Feishu',
  feishuDesktop: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36 Feishu/7.4.9 LarkLocale/zh_CN SDK-Version/7.4.9',
  lark: 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/115.0 Mobile Safari/537.36 Lark/7.3.2 LarkLocale/en_US',
  wecom: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.16 MicroMessenger/7.0.1 Language/zh ColorScheme/Light',
  wechat: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.43(0x18002b2c) NetType/WIFI Language/zh_CN',
  safari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
};

describe('detectMessenger', () => {
  it.each([
    [UA.dingtalkAndroid, 'dingtalk'],
    [UA.dingtalkIos, 'dingtalk'],
    [UA.feishu, 'feishu'],
    [UA.feishuDesktop, 'feishu'],
    [UA.lark, 'feishu'],
    [UA.wecom, 'wecom'],
    [UA.wechat, null],
    [UA.safari, null],
    ['', null],
  ])('%s → %s', (ua, expected) => {
    expect(detectMessenger(ua)).toBe(expected);
  });
});

describe('wecomAuthorizeUrl', () => {
  it('asks for a silent snsapi_base code for this app, coming back to the page, ending in #wechat_redirect', () => {
    const url = wecomAuthorizeUrl({ corpId: 'ww1234', agentId: '1000002', redirectUri: 'https://stock.example.com/app/requests?tab=mine&x=a b', state: 's1' });
    expect(url).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww1234&redirect_uri=https%3A%2F%2Fstock.example.com%2Fapp%2Frequests%3Ftab%3Dmine%26x%3Da%20b&response_type=code&scope=snsapi_base&state=s1&agentid=1000002#wechat_redirect',
    );
    const parsed = new URL(url);
    expect(parsed.searchParams.get('redirect_uri')).toBe('https://stock.example.com/app/requests?tab=mine&x=a b');
  });
});

describe('readWeComReturn', () => {
  it('takes the code off the URL WeCom came back to, keeping the rest of the page address', () => {
    expect(readWeComReturn('https://stock.example.com/app/requests?tab=mine&code=CODE1&state=s1', 's1')).toEqual({
      code: 'CODE1',
      cleanUrl: 'https://stock.example.com/app/requests?tab=mine',
      stateOk: true,
    });
  });

  it('says nothing came back when the URL has no code', () => {
    expect(readWeComReturn('https://stock.example.com/app/?tab=mine', 's1')).toBeNull();
  });

  it('flags a code whose state this tab did not send (a sign-in someone else started)', () => {
    expect(readWeComReturn('https://stock.example.com/app/?code=C&state=theirs', 's1')?.stateOk).toBe(false);
    expect(readWeComReturn('https://stock.example.com/app/?code=C&state=s1', null)?.stateOk).toBe(false);
  });
});

describe('pageUrlForSigning', () => {
  it.each([
    ['https://stock.example.com/app/#/requests/new', 'https://stock.example.com/app/'],
    ['https://stock.example.com/app/?tab=mine#/x#y', 'https://stock.example.com/app/?tab=mine'],
    ['https://stock.example.com/app/?q=%E4%BB%93', 'https://stock.example.com/app/?q=%E4%BB%93'],
  ])('signs %s as %s (no fragment, the rest untouched)', (href, signed) => {
    expect(pageUrlForSigning(href)).toBe(signed);
  });
});

describe('signingHref', () => {
  const landing = 'https://stock.example.com/app/?code=C1&state=s1#/';
  const current = 'https://stock.example.com/app/#/stocktake';
  it('has WeCom on iOS check the address the page loaded with (before the sign-in return cleaned it)', () => {
    expect(signingHref('wecom', UA.wecom, current, landing)).toBe('https://stock.example.com/app/?code=C1&state=s1');
  });
  it('has every other messenger and platform check the current address', () => {
    const androidWeCom = UA.dingtalkAndroid.replace('AliApp(DingTalk/7.0.40)', 'wxwork/4.1.16 MicroMessenger/7.0.1');
    expect(signingHref('wecom', androidWeCom, current, landing)).toBe('https://stock.example.com/app/');
    expect(signingHref('dingtalk', UA.dingtalkIos, current, landing)).toBe('https://stock.example.com/app/');
    expect(signingHref('feishu', UA.feishu, current, landing)).toBe('https://stock.example.com/app/');
  });
});

describe('jsapiConfigPath', () => {
  it('asks the API to sign the page without its fragment, the address encoded as one query value', () => {
    expect(jsapiConfigPath('wecom', 'https://stock.example.com/app/?tab=mine&x=a b#/scan')).toBe(
      '/app/api/auth/jsapi/wecom?url=https%3A%2F%2Fstock.example.com%2Fapp%2F%3Ftab%3Dmine%26x%3Da%20b',
    );
  });
});

describe('barcodeText', () => {
  it.each([
    ['EAN_13,6901234567890', '6901234567890'],
    ['CODE_128,SKU-001,A', 'SKU-001,A'],
    ['https://stock.example.com/i/SKU-001', 'https://stock.example.com/i/SKU-001'],
    ['SKU-001', 'SKU-001'],
  ])('reads %s as %s', (resultStr, text) => {
    expect(barcodeText(resultStr)).toBe(text);
  });
});
